/**
 * Runnel brokers for tests.
 *
 * <ul>
 *   <li>{@link io.runnel.testkit.EmbeddedBroker}: a broker inside the test JVM, on a random port, that can be
 *       restarted on the same port and data directory.</li>
 *   <li>{@link io.runnel.testkit.EmbeddedBrokerExtension}: a JUnit 5 extension that starts one per test.</li>
 *   <li>{@link io.runnel.testkit.BrokerProcess}: a broker in its own JVM, which a test can stop (SIGTERM) or
 *       kill (SIGKILL) or pause (SIGSTOP) to exercise crash recovery.</li>
 *   <li>{@link io.runnel.testkit.EmbeddedCluster}: several brokers with a metadata quorum inside the test JVM.</li>
 *   <li>{@link io.runnel.testkit.BrokerProcessCluster}: the same cluster as separate broker processes, whose
 *       nodes a test can kill, stop, pause and restart, and (started with links) cut off from each other.</li>
 * </ul>
 *
 * <p>For Jepsen-style fault tests: {@link io.runnel.testkit.workload} (a recorded workload of real clients),
 * {@link io.runnel.testkit.check} (the anomaly and replica checkers) and {@link io.runnel.testkit.link}
 * (cuttable links between nodes). docs/fault-tests.md describes them.
 */
package io.runnel.testkit;
