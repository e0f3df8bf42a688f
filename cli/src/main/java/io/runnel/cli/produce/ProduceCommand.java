package io.runnel.cli.produce;

import io.runnel.cli.client.ClientCommand;
import io.runnel.cli.client.CommandFailure;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.header.Header;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code runnel produce --topic T}: sends each line of standard input as a record (see
 * {@link LineParser} for keys and headers) with a Kafka producer, then prints a summary to standard
 * error. Exits 1 if any record was not acknowledged.
 */
@Command(name = "produce", mixinStandardHelpOptions = true,
        description = {"Send each line of standard input as a record.",
            "Line format: [headers<TAB>][key<SEP>]value, headers as name=value,name=value (with --parse-headers)."})
public final class ProduceCommand extends ClientCommand {

    private static final Duration EXIT_DELIVERY = Duration.ofSeconds(5);

    @Option(names = {"-t", "--topic"}, required = true, description = "The topic to produce to.")
    private String topic;

    @Option(names = {"-k", "--key-separator"}, paramLabel = "sep",
            description = "Split each line at the first <sep> into key and value (default: no key).")
    private String keySeparator;

    @Option(names = {"-H", "--header"}, paramLabel = "name=value", description = "A header on every record. Repeatable.")
    private List<String> headers = new ArrayList<>();

    @Option(names = "--parse-headers",
            description = "Each line starts with its headers, name=value pairs separated by commas, then a tab.")
    private boolean parseHeaders;

    @Option(names = {"-p", "--partition"}, description = "Send every record to this partition (default: by key, or spread).")
    private Integer partition;

    @Option(names = "--acks", description = "all, 1 or 0 (default: the producer's, all).")
    private String acks;

    @Option(names = "--compression", paramLabel = "type", description = "none, gzip, snappy, lz4 or zstd (default: none).")
    private String compression;

    @Override
    protected int execute() throws IOException {
        if (keySeparator != null && keySeparator.isEmpty()) {
            throw usageError("The key separator is empty");
        }
        LineParser parser = new LineParser(keySeparator, parseHeaders);
        Deliveries deliveries = new Deliveries();
        try (KafkaProducer<byte[], byte[]> producer = client.newProducer(settings())) {
            checkPartition(producer);
            // Ctrl-C while reading: the JVM exits, but the lines read so far are still delivered (for a few seconds).
            Thread deliverOnExit = new Thread(() -> producer.close(EXIT_DELIVERY), "runnel-produce-deliver");
            Runtime.getRuntime().addShutdownHook(deliverOnExit);
            try {
                sendLines(producer, parser, deliveries);
                producer.flush();
            } finally {
                removeShutdownHook(deliverOnExit);
            }
        }
        return report(deliveries);
    }

    private static void removeShutdownHook(Thread hook) {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
            // The JVM is exiting already: the hook is running.
        }
    }

    private void sendLines(KafkaProducer<byte[], byte[]> producer, LineParser parser, Deliveries deliveries) throws IOException {
        List<Header> fixedHeaders = headers.stream().map(LineParser::header).toList();
        BufferedReader lines = new BufferedReader(new InputStreamReader(terminal().in(), StandardCharsets.UTF_8));
        long lineNumber = 0;
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            LineParser.Parsed parsed = parser.parse(line, ++lineNumber);
            List<Header> recordHeaders = new ArrayList<>(fixedHeaders);
            recordHeaders.addAll(parsed.headers());
            producer.send(new ProducerRecord<>(topic, partition, parsed.key(), parsed.value(), recordHeaders), deliveries);
        }
    }

    private Map<String, String> settings() {
        Map<String, String> settings = new LinkedHashMap<>();
        if (acks != null) {
            settings.put(ProducerConfig.ACKS_CONFIG, acks);
        }
        if (compression != null) {
            settings.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression);
        }
        return settings;
    }

    /** Fails early, rather than per record, for a topic the broker does not know or a partition it lacks. */
    private void checkPartition(KafkaProducer<byte[], byte[]> producer) {
        List<PartitionInfo> partitions;
        try {
            partitions = producer.partitionsFor(topic);
        } catch (TimeoutException e) {
            throw new CommandFailure("Topic '" + topic + "' is not in the metadata of " + client.bootstrapServer()
                    + " (" + e.getMessage() + "): it does not exist and is not created automatically, or the broker does not answer.");
        }
        if (partition != null && (partition < 0 || partition >= partitions.size())) {
            throw new CommandFailure("Topic '" + topic + "' has " + partitions.size() + " partitions; there is no partition " + partition + ".");
        }
    }

    private int report(Deliveries deliveries) {
        long acknowledged = deliveries.acknowledged();
        err().println("Produced " + acknowledged + (acknowledged == 1 ? " record" : " records") + " to " + topic + ".");
        if (deliveries.failed() > 0) {
            err().println("runnel: " + deliveries.failed() + " records failed: " + deliveries.firstFailure().getMessage());
            return 1;
        }
        return 0;
    }
}
