package io.runnel.bench.compare;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.MatchResult;
import java.util.regex.Pattern;

/**
 * Kafka's {@code org.apache.kafka.tools.EndToEndLatency}: sends one record (acks=1, linger 0), waits
 * for its consumer (assigned, {@code fetch.max.wait.ms=0}) to read it, then sends the next. A
 * round-trip time, not a latency at a fixed rate; the tool prints percentiles in whole milliseconds.
 *
 * @param topic the topic (one partition)
 * @param records how many round trips
 */
record EndToEndLatencyLoad(TopicSpec topic, long records) implements Load {

    private static final Pattern AVERAGE = Pattern.compile("Avg latency: ([0-9.]+) ms");
    private static final Pattern PERCENTILES = Pattern.compile("Percentiles: 50th = (\\d+), 99th = (\\d+), 99.9th = (\\d+)");

    @Override
    public JavaCommand command(Toolbox toolbox, String bootstrap) {
        return toolbox.kafkaTool("EndToEndLatency", List.of("--bootstrap-server", bootstrap, "--topic", topic.name(),
                "--num-records", Long.toString(records), "--producer-acks", "1",
                "--record-size", Integer.toString(Plan.RECORD_SIZE)));
    }

    @Override
    public Map<Metric, Double> parse(String output) throws LoadFailedException {
        MatchResult average = OutputPatterns.last(AVERAGE, output)
                .orElseThrow(() -> new LoadFailedException("no result: " + OutputPatterns.lastLine(output)));
        MatchResult percentiles = OutputPatterns.last(PERCENTILES, output)
                .orElseThrow(() -> new LoadFailedException("no percentiles: " + OutputPatterns.lastLine(output)));
        Map<Metric, Double> figures = new EnumMap<>(Metric.class);
        figures.put(Metric.LATENCY_AVG, Double.parseDouble(average.group(1)));
        figures.put(Metric.LATENCY_P50, Double.parseDouble(percentiles.group(1)));
        figures.put(Metric.LATENCY_P99, Double.parseDouble(percentiles.group(2)));
        figures.put(Metric.LATENCY_P999, Double.parseDouble(percentiles.group(3)));
        return figures;
    }

    @Override
    public long bytesMoved() {
        return 0;
    }
}
