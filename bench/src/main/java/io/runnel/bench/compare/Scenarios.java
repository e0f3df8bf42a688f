package io.runnel.bench.compare;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * The scenarios of a run, in the order each broker runs them: Kafka's producer tool over acks 1 and
 * all, 1 and 6 partitions, default batching and linger.ms=5/batch.size=262144; {@code runnel perf
 * produce}; Kafka's consumer tool and {@code runnel perf consume}; end-to-end latency at a fixed rate
 * ({@code runnel perf e2e}) and Kafka's one-at-a-time round trip; then the transactional produce and
 * the read_committed consume of issue 12; last, issue 13's produce and consume over SSL and SASL_SSL
 * (SCRAM-SHA-512) listeners.
 */
final class Scenarios {

    private Scenarios() {
    }

    /** Every scenario; those over SSL and SASL_SSL use the client properties of {@code security}. */
    static List<Scenario> of(Plan plan, ListenerSecurity security) {
        List<Scenario> scenarios = new ArrayList<>();
        for (int partitions : new int[] {1, 6}) {
            for (String acks : new String[] {"1", "all"}) {
                for (boolean batched : new boolean[] {false, true}) {
                    scenarios.add(producerPerformance(plan, partitions, acks, batched));
                }
            }
        }
        TopicSpec perfProduce = new TopicSpec("perf-produce-p6", 6);
        scenarios.add(new Scenario("perf-produce-p6-acks1", "runnel perf produce, 6 partitions, acks=1",
                Category.PRODUCE, RunnelPerfLoad.produce(perfProduce, plan.produceRecords(), "1")));

        TopicSpec consumeSource = consumeSource();
        scenarios.add(new Scenario("cp-p6", "ConsumerPerformance (group), 6 partitions",
                Category.CONSUME, new ConsumerPerformanceLoad(consumeSource, plan.consumeRecords())));
        scenarios.add(new Scenario("perf-consume-p6", "runnel perf consume (assign), 6 partitions",
                Category.CONSUME, RunnelPerfLoad.consume(consumeSource, plan.consumeRecords())));

        scenarios.add(new Scenario("perf-e2e-" + plan.latencyRate(), "runnel perf e2e at " + plan.latencyRate()
                + " rec/s, 1 partition, acks=1", Category.LATENCY,
                RunnelPerfLoad.endToEnd(new TopicSpec("e2e-p1", 1), plan.latencyRecords(), plan.latencyRate(), plan.latencyWarmupRecords())));
        scenarios.add(new Scenario("e2e-round-trip", "EndToEndLatency (one at a time), acks=1", Category.ROUND_TRIP,
                new EndToEndLatencyLoad(new TopicSpec("round-trip-p1", 1), plan.roundTripRecords())));
        // Last, so that the earlier rows run as they did before transactions existed.
        scenarios.addAll(transactions(plan));
        scenarios.addAll(secured(plan, security));
        return scenarios;
    }

    /** Whether any of {@code scenarios} runs over an SSL or SASL_SSL listener: then both brokers serve them. */
    static boolean anySecured(List<Scenario> scenarios) {
        return scenarios.stream().anyMatch(s -> s.load().protocol() != SecurityProtocol.PLAINTEXT);
    }

    /** The topic the plaintext and secured consume scenarios read, prefilled once per broker start. */
    private static TopicSpec consumeSource() {
        return new TopicSpec("consume-source-p6", 6);
    }

    /**
     * The unmeasured loads each broker runs after its start, the same for Runnel and Kafka: a plain
     * produce, then issue 12's two loads on topics of their own (a transactional produce by the same
     * tool and settings as {@code txn-produce-p6}; a read_committed consume of a topic of committed and
     * aborted transactions, as {@code rc-consume-p6}). The JIT then compiles the produce, transaction
     * coordinator, marker and read_committed fetch paths before any measured load, whatever the order
     * or selection of the scenarios; without it the transactional rows paid for the compiler.
     */
    static List<Load> warmUp(Plan plan) {
        long records = plan.warmupRecords();
        return List.of(RunnelPerfLoad.produce(new TopicSpec("warm-up", 6), records, "1"),
                ProducerPerformanceLoad.transactional(new TopicSpec("warm-up-txn-produce", 6), records, 100),
                new ConsumerPerformanceLoad(new TopicSpec("warm-up-rc-source", 6), records, IsolationLevel.READ_COMMITTED));
    }

    /**
     * The unmeasured loads each broker runs after {@link #warmUp} when the run has scenarios over SSL and
     * SASL_SSL: Kafka's producer tool over SASL_SSL and its consumer tool over SSL (of a topic of its own,
     * prefilled over PLAINTEXT), so that the TLS and SCRAM paths of both brokers, produce and fetch, are
     * compiled before the first measured load over them.
     */
    static List<Load> securedWarmUp(Plan plan, ListenerSecurity security) {
        long records = plan.warmupRecords();
        return List.of(secured(SecurityProtocol.SASL_SSL, security,
                        producerPerformance(new TopicSpec("warm-up-sasl-ssl", 6), records, "all", false)),
                secured(SecurityProtocol.SSL, security, new ConsumerPerformanceLoad(new TopicSpec("warm-up-ssl-source", 6), records)));
    }

    /**
     * Issue 13's loads: the plaintext rows {@code pp-p6-acksall-default} and {@code cp-p6} (the same tool,
     * settings and, for the consume, the same topic) over an SSL listener and over a SASL_SSL listener
     * with SCRAM-SHA-512.
     */
    private static List<Scenario> secured(Plan plan, ListenerSecurity security) {
        List<Scenario> scenarios = new ArrayList<>();
        for (SecurityProtocol protocol : new SecurityProtocol[] {SecurityProtocol.SSL, SecurityProtocol.SASL_SSL}) {
            String suffix = protocol.name.toLowerCase(Locale.ROOT).replace('_', '-');
            String over = protocol == SecurityProtocol.SSL ? "over SSL" : "over SASL_SSL (SCRAM-SHA-512)";
            String produced = "pp-p6-" + suffix;
            scenarios.add(new Scenario(produced, "ProducerPerformance, 6 partitions, acks=all, default batching, " + over,
                    Category.TLS, secured(protocol, security,
                            producerPerformance(new TopicSpec(produced, 6), plan.produceRecords(), "all", false))));
            scenarios.add(new Scenario("cp-p6-" + suffix, "ConsumerPerformance (group), 6 partitions, " + over,
                    Category.TLS, secured(protocol, security, new ConsumerPerformanceLoad(consumeSource(), plan.consumeRecords()))));
        }
        return scenarios;
    }

    private static Load secured(SecurityProtocol protocol, ListenerSecurity security, Load load) {
        return new SecuredLoad(load, protocol, security.clientConfig(protocol));
    }

    /**
     * Issue 12's loads: Kafka's producer tool committing a transaction every 100 ms, and its consumer
     * tool reading read_committed a topic of committed and aborted transactions.
     */
    private static List<Scenario> transactions(Plan plan) {
        TopicSpec produced = new TopicSpec("txn-produce-p6", 6);
        TopicSpec committed = new TopicSpec("rc-source-p6", 6);
        return List.of(
                new Scenario("txn-produce-p6", "ProducerPerformance, transactions of 100 ms, 6 partitions, acks=all",
                        Category.TRANSACTIONS, ProducerPerformanceLoad.transactional(produced, plan.produceRecords(), 100)),
                new Scenario("rc-consume-p6", "ConsumerPerformance (group), read_committed, 6 partitions",
                        Category.TRANSACTIONS, new ConsumerPerformanceLoad(committed, plan.consumeRecords(), IsolationLevel.READ_COMMITTED)));
    }

    private static Scenario producerPerformance(Plan plan, int partitions, String acks, boolean batched) {
        String batching = batched ? "linger5-256k" : "default";
        String id = "pp-p" + partitions + "-acks" + acks + "-" + batching;
        String title = "ProducerPerformance, " + partitions + " partition" + (partitions > 1 ? "s" : "")
                + ", acks=" + acks + ", " + (batched ? "linger.ms=5 batch.size=256k" : "default batching");
        return new Scenario(id, title, Category.PRODUCE,
                producerPerformance(new TopicSpec(id, partitions), plan.produceRecords(), acks, batched));
    }

    private static ProducerPerformanceLoad producerPerformance(TopicSpec topic, long records, String acks, boolean batched) {
        Map<String, String> props = new LinkedHashMap<>();
        props.put("acks", acks);
        if (batched) {
            props.put("linger.ms", "5");
            props.put("batch.size", "262144");
        }
        return new ProducerPerformanceLoad(topic, records, props);
    }
}
