package io.runnel.testkit.check;

import io.runnel.testkit.workload.Event;
import io.runnel.testkit.workload.History;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The outcome of one fault run in a few numbers: faults injected, sends acknowledged, writes lost,
 * duplicated and at inconsistent offsets, replicas inconsistent, and failover time at p50 and max. One
 * summary line, and a file with the details. Immutable.
 *
 * <p>Failover time: for each fault and each partition the faulty node led just before it, the time from
 * the fault to the first acknowledgement of a send <em>made after the fault</em> to that partition. Sends
 * made before may be answered by the old leader from responses already on their way (a frozen process's
 * last responses sit in the client's socket), which would make a failover look instant.
 *
 * @param name            the run's name
 * @param faults          faults injected (nemesis events marked as faults)
 * @param check           what the history checker found
 * @param replicas        what the replica log checker found
 * @param failoverMillis  one sample per (fault, partition the node led), sorted
 * @param unrecovered     (fault, partition) pairs with no acknowledged send after the fault
 * @param elapsed         how long the run took
 * @param notes           what else the run noticed, e.g. waits for a recovery that timed out (informational:
 *                        a recovery that never came shows as {@code unrecovered})
 */
public record FaultReport(String name, int faults, CheckResult check, ReplicaCheckResult replicas, List<Long> failoverMillis, int unrecovered,
                          Duration elapsed, List<String> notes) {

    public FaultReport {
        failoverMillis = List.copyOf(failoverMillis);
        notes = List.copyOf(notes);
    }

    /** Builds the report of a run from its history and the two checks. */
    public static FaultReport of(String name, History history, CheckResult check, ReplicaCheckResult replicas, Duration elapsed,
                                 List<String> notes) {
        List<Event> events = history.events();
        List<Long> samples = new ArrayList<>();
        int faults = 0;
        int unrecovered = 0;
        Map<Integer, List<Event.SendAcknowledged>> acksByPartition = new TreeMap<>();
        Map<String, Long> invokedAt = new HashMap<>();
        for (Event event : events) {
            if (event instanceof Event.SendInvoked send) {
                invokedAt.put(send.value(), send.index());
            } else if (event instanceof Event.SendAcknowledged ack) {
                acksByPartition.computeIfAbsent(ack.partition(), p -> new ArrayList<>()).add(ack);
            }
        }
        for (Event event : events) {
            if (event instanceof Event.Nemesis nemesis && nemesis.fault()) {
                faults++;
                for (int partition : nemesis.partitions()) {
                    Long millis = firstAckAfter(acksByPartition.getOrDefault(partition, List.of()), invokedAt, nemesis);
                    if (millis == null) {
                        unrecovered++;
                    } else {
                        samples.add(millis);
                    }
                }
            }
        }
        Collections.sort(samples);
        return new FaultReport(name, faults, check, replicas, samples, unrecovered, elapsed, notes);
    }

    /** Milliseconds from the fault to the first acknowledgement of a send made after it, or null. */
    private static Long firstAckAfter(List<Event.SendAcknowledged> acks, Map<String, Long> invokedAt, Event.Nemesis fault) {
        for (Event.SendAcknowledged ack : acks) {
            if (ack.index() > fault.index() && invokedAt.getOrDefault(ack.value(), -1L) > fault.index()) {
                return TimeUnit.NANOSECONDS.toMillis(ack.nanos() - fault.nanos());
            }
        }
        return null;
    }

    /** Writes lost, duplicated, at inconsistent offsets (counting acknowledged-offset mismatches). */
    public int lost() {
        return check.count(Anomaly.LOST_WRITE);
    }

    /** Values read at more than one offset. */
    public int duplicates() {
        return check.count(Anomaly.DUPLICATE);
    }

    /** Offsets with more than one value, and acknowledgements that disagree with the read offset. */
    public int inconsistent() {
        return check.count(Anomaly.INCONSISTENT_OFFSETS) + check.count(Anomaly.ACKNOWLEDGED_OFFSET_MISMATCH);
    }

    /** Anomalies other than lost, duplicate and inconsistent (unseen, poll and send order, aborted, phantom). */
    public int otherAnomalies() {
        return check.counts().values().stream().mapToInt(Integer::intValue).sum() - lost() - duplicates() - inconsistent();
    }

    /** Median failover time in ms, or -1 without samples. */
    public long failoverP50() {
        return failoverMillis.isEmpty() ? -1 : failoverMillis.get((failoverMillis.size() - 1) / 2);
    }

    /** Longest failover time in ms, or -1 without samples. */
    public long failoverMax() {
        return failoverMillis.isEmpty() ? -1 : failoverMillis.get(failoverMillis.size() - 1);
    }

    /** Pass: no anomaly, complete final read, identical replicas, and every faulty node's partitions acknowledged again. */
    public boolean passed() {
        return check.valid() && replicas.consistent() && unrecovered == 0;
    }

    /** The one-line summary. */
    public String summary() {
        return String.format("faults %s: %s, faults %d, acknowledged %d of %d sends (indeterminate %d), lost %d, duplicates %d, inconsistent %d,"
                        + " other anomalies %d, inconsistent replicas %d of %d partitions, failover p50 %s max %s (%d samples%s), %d s",
                name, passed() ? "PASS" : "FAIL", faults, check.acknowledged(), check.sends(), check.indeterminate(), lost(), duplicates(),
                inconsistent(), otherAnomalies(), replicas.inconsistentPartitions(), replicas.partitions(), millis(failoverP50()),
                millis(failoverMax()), failoverMillis.size(), unrecovered == 0 ? "" : ", " + unrecovered + " never acknowledged again",
                elapsed.toSeconds());
    }

    private static String millis(long value) {
        return value < 0 ? "-" : value + " ms";
    }

    /** The summary, the checks' details and every failover sample, for the report file. */
    public String details() {
        String nl = System.lineSeparator();
        return summary() + nl + nl + "history: " + check + nl + check.describe() + nl + nl + "replicas: " + replicas + nl + replicas.describe()
                + nl + nl + "failover ms: " + failoverMillis + nl + (notes.isEmpty() ? "" : nl + "notes:" + nl + "    " + String.join(nl + "    ", notes) + nl);
    }

    /**
     * Writes {@code <dir>/<name>.txt} with the details and appends the summary line to
     * {@code <dir>/summary.txt}.
     */
    public void writeTo(Path dir) {
        try {
            Files.createDirectories(dir);
            Files.writeString(dir.resolve(name + ".txt"), details(), StandardCharsets.UTF_8);
            Files.writeString(dir.resolve("summary.txt"), summary() + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the fault report to " + dir, e);
        }
    }
}
