package io.runnel.bench.compare;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Locale;

/**
 * What a run was made on and with, printed above its table so that a figure is never read without its
 * circumstances.
 *
 * @param started when the run started (UTC)
 * @param runnelVersion Runnel's commit (and whether the tree had changes)
 * @param kafkaVersion the Apache Kafka release compared with
 * @param plan the run's size
 * @param brokerHeap both brokers' heap
 */
record RunInfo(Instant started, String runnelVersion, String kafkaVersion, Plan plan, String brokerHeap) {

    /** A few lines of Markdown. */
    String describe() {
        return String.format(Locale.ROOT, "Run of %s UTC: Runnel %s vs Apache Kafka %s, %d round(s) A B A B, "
                        + "%d records of %d B per produce load, %d per consume load, fixed-rate latency %d records at %d/s.%n"
                        + "Machine: %d cores, %s memory, Linux %s, Java %s. Both brokers: -Xmx%s -Xms%s and Kafka's "
                        + "G1 options, same data disk, no fsync (Kafka's default flush policy). The load generators "
                        + "share the same cores.%n",
                started.truncatedTo(ChronoUnit.SECONDS).toString().replace('T', ' ').replace("Z", ""),
                runnelVersion, kafkaVersion, plan.rounds(), plan.produceRecords(), Plan.RECORD_SIZE,
                plan.consumeRecords(), plan.latencyRecords(), plan.latencyRate(),
                Runtime.getRuntime().availableProcessors(), memory(), kernel(), System.getProperty("java.version"),
                brokerHeap, brokerHeap);
    }

    static String memory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"), StandardCharsets.US_ASCII)) {
                if (line.startsWith("MemTotal:")) {
                    long kib = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    return String.format(Locale.ROOT, "%.0f GiB", kib / 1024.0 / 1024.0);
                }
            }
        } catch (IOException | NumberFormatException e) {
            // fall through
        }
        return "unknown";
    }

    static String kernel() {
        try {
            return Files.readString(Path.of("/proc/sys/kernel/osrelease"), StandardCharsets.US_ASCII).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
