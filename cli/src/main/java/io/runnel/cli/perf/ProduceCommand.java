package io.runnel.cli.perf;

import io.runnel.cli.client.ClientOptions;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code runnel perf produce}: sends {@code --num-records} records of {@code --record-size} random
 * bytes (no key), as fast as the producer can or at {@code --throughput} records per second, and
 * prints throughput and send-to-acknowledgement latency. The same load as Kafka's
 * {@code kafka-producer-perf-test}. Exits 1 if any send failed.
 */
@Command(name = "produce", mixinStandardHelpOptions = true,
        description = "Produce records as fast as possible (or at a rate) and report throughput and latency.")
final class ProduceCommand implements Callable<Integer> {

    @Mixin
    private ClientOptions client;

    @Option(names = "--topic", required = true, description = "The topic to produce to.")
    private String topic;

    @Option(names = "--num-records", required = true, description = "How many records to send.")
    private long numRecords;

    @Option(names = "--record-size", defaultValue = "1024", description = "Bytes per record value (default: ${DEFAULT-VALUE}).")
    private int recordSize;

    @Option(names = "--throughput", defaultValue = "-1",
            description = "Records per second at most; -1 for no limit (default: ${DEFAULT-VALUE}).")
    private double throughput;

    @Option(names = "--acks", description = "The producer's acks (0, 1, all); default: the client's.")
    private String acks;

    @Option(names = "--producer-props", arity = "1..*", paramLabel = "key=value",
            description = "Producer configs, e.g. linger.ms=5 batch.size=262144.")
    private Map<String, String> producerProps = new LinkedHashMap<>();

    @Option(names = "--reporting-interval", defaultValue = "5000", paramLabel = "ms",
            description = "Milliseconds between progress lines; 0 for none (default: ${DEFAULT-VALUE}).")
    private long reportingIntervalMs;

    @Override
    public Integer call() {
        Map<String, String> defaults = new LinkedHashMap<>();
        if (acks != null) {
            defaults.put(ProducerConfig.ACKS_CONFIG, acks);
        }
        byte[] payload = new byte[recordSize];
        new Random(42).nextBytes(payload);

        long start = System.nanoTime();
        long end;
        ProduceStats stats = new ProduceStats(new ProgressLine(System.out, "sent", reportingIntervalMs, start), System.err);
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(client.producerConfig(defaults, producerProps))) {
            start = System.nanoTime();
            Pacer pacer = new Pacer(throughput, start);
            for (long i = 0; i < numRecords; i++) {
                PacedWait.until(pacer, i);
                long sent = System.nanoTime();
                producer.send(new ProducerRecord<>(topic, payload),
                        (metadata, error) -> stats.completed(sent, System.nanoTime(), recordSize, error));
            }
            producer.flush();
            end = System.nanoTime();
        }
        long elapsed = end - start;
        ResultTable table = new ResultTable("runnel perf produce: " + stats.records() + " records to " + topic)
                .row("records", stats.records(), "")
                .row("errors", stats.errors(), "")
                .row("seconds", Rates.seconds(elapsed), 3, "s")
                .row("records/s", Rates.perSecond(stats.records(), elapsed), 1, "")
                .row("MB/s", Rates.megabytesPerSecond(stats.bytes(), elapsed), 2, "")
                .latencyRows("latency", stats.latencies());
        System.out.print(table.render());
        return stats.errors() == 0 ? 0 : 1;
    }
}
