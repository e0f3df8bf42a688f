/**
 * The client side of Jepsen-style fault tests: a {@link io.runnel.testkit.workload.Workload} of idempotent
 * producers and group consumers that records every send, outcome, poll and assignment into a thread-safe
 * {@link io.runnel.testkit.workload.History}, and the {@link io.runnel.testkit.workload.FinalReader} that
 * reads the whole log at the end. {@link io.runnel.testkit.check} judges the result.
 */
package io.runnel.testkit.workload;
