package io.runnel.bench.compare;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.IsolationLevel;

/**
 * Kafka's {@code kafka-consumer-perf-test} ({@code org.apache.kafka.tools.ConsumerPerformance}): one
 * consumer in a new group reads the topic from the beginning. Its throughput is the tool's
 * {@code fetch.MB.sec}, which leaves the group join out. Needs consumer groups on the broker.
 *
 * <p>With {@code read_committed} the topic is filled by {@link TransactionalFill} (committed
 * transactions with an aborted one every so often), the consumer reads with
 * {@code isolation.level=read_committed}, and the records to read are the committed ones; the broker
 * also sends the aborted batches (the consumer drops them), which CPU per GB does not count.
 *
 * @param topic the (prefilled) topic
 * @param records how many records to read: all of them (all the committed ones)
 * @param isolation the consumer's {@code isolation.level}
 */
record ConsumerPerformanceLoad(TopicSpec topic, long records, IsolationLevel isolation) implements Load {

    private static final String HEADER_START = "start.time, end.time";

    /** The consumer's default isolation, {@code read_uncommitted}, of a topic filled by {@code runnel perf produce}. */
    ConsumerPerformanceLoad(TopicSpec topic, long records) {
        this(topic, records, IsolationLevel.READ_UNCOMMITTED);
    }

    @Override
    public long prefillRecords() {
        return records;
    }

    @Override
    public JavaCommand prefill(Toolbox toolbox, String bootstrap) throws IOException {
        return isolation == IsolationLevel.READ_COMMITTED
                ? TransactionalFill.command(toolbox, bootstrap, topic, records)
                : Load.super.prefill(toolbox, bootstrap);
    }

    @Override
    public JavaCommand command(Toolbox toolbox, String bootstrap) {
        List<String> args = new ArrayList<>(List.of("--bootstrap-server", bootstrap, "--topic", topic.name(),
                "--num-records", Long.toString(records), "--timeout", "30000",
                "--group", "perf-consumer-" + System.nanoTime()));
        if (isolation == IsolationLevel.READ_COMMITTED) {
            args.addAll(List.of("--command-property", "isolation.level=" + isolation));
        }
        return toolbox.kafkaTool("ConsumerPerformance", args);
    }

    @Override
    public Map<Metric, Double> parse(String output) throws LoadFailedException {
        List<String> lines = output.lines().toList();
        for (int i = 0; i + 1 < lines.size(); i++) {
            if (lines.get(i).startsWith(HEADER_START)) {
                return figures(lines.get(i).split(", "), lines.get(i + 1).split(", "));
            }
        }
        throw new LoadFailedException("no result line: " + OutputPatterns.lastLine(output));
    }

    private Map<Metric, Double> figures(String[] names, String[] values) throws LoadFailedException {
        Map<String, Double> columns = new HashMap<>();
        for (int i = 0; i < names.length && i < values.length; i++) {
            try {
                columns.put(names[i].trim(), Double.parseDouble(values[i].trim()));
            } catch (NumberFormatException dateColumn) {
                // start.time and end.time are dates
            }
        }
        Double consumed = columns.get("data.consumed.in.nMsg");
        if (consumed == null || consumed < records) {
            throw new LoadFailedException("consumed " + consumed + " of " + records + " records");
        }
        Map<Metric, Double> figures = new EnumMap<>(Metric.class);
        figures.put(Metric.THROUGHPUT, columns.get("fetch.MB.sec"));
        figures.put(Metric.RECORDS_PER_SECOND, columns.get("fetch.nMsg.sec"));
        return figures;
    }

    @Override
    public long bytesMoved() {
        return records * Plan.RECORD_SIZE;
    }
}
