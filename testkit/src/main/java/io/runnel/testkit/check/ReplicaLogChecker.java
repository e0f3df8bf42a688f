package io.runnel.testkit.check;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.internal.FileLogInputStream.FileChannelRecordBatch;
import org.apache.kafka.common.record.internal.FileRecords;

/**
 * Compares the replicas of partitions batch by batch, from the log directories of stopped brokers (or
 * of running ones whose topic no longer takes writes): below the high watermark every replica must hold
 * the same batches, each with the same base offset, last offset, CRC and partition leader epoch.
 *
 * <p>It reads Kafka's on-disk layout itself, without Runnel's storage code, so it judges that code
 * rather than trusting it: {@code <log dir>/<topic>-<partition>/<20-digit base offset>.log} segments read with
 * kafka-clients' {@link FileRecords}; the high watermark from the log directory's
 * {@code replication-offset-checkpoint} and the log start from {@code log-start-offset-checkpoint} (both:
 * a version line, a count line, then {@code <topic> <partition> <offset>} lines).
 *
 * <p>For each partition the committed point is the highest high watermark any replica checkpointed (a
 * follower learns it one fetch later than the leader, so the leader's is the highest), and the range
 * compared is from the highest log start offset to it. A replica that lacks a batch in that range, or
 * has a different one, makes the partition inconsistent. Batches whose CRC does not match their bytes are
 * reported too. Stateless and thread-safe.
 */
public final class ReplicaLogChecker {

    /** Kafka's name of the file of high watermarks in each log directory. */
    public static final String HIGH_WATERMARK_CHECKPOINT = "replication-offset-checkpoint";
    /** Kafka's name of the file of log start offsets in each log directory. */
    public static final String LOG_START_OFFSET_CHECKPOINT = "log-start-offset-checkpoint";

    private static final Pattern PARTITION_DIR = Pattern.compile("(.+)-(\\d+)");
    private static final int EXAMPLES = 5;

    private ReplicaLogChecker() {
    }

    /**
     * One record batch as it lies in a replica's segment.
     *
     * @param baseOffset           offset of its first record
     * @param lastOffset           offset of its last record
     * @param crc                  the CRC stored in its header
     * @param partitionLeaderEpoch the leader epoch stamped on it
     * @param valid                whether the stored CRC matches the batch's bytes
     * @param segment              the segment file name, for messages
     */
    public record Batch(long baseOffset, long lastOffset, long crc, int partitionLeaderEpoch, boolean valid, String segment) {

        /** Whether {@code other} is the same batch: offsets, CRC and leader epoch. */
        public boolean sameAs(Batch other) {
            return baseOffset == other.baseOffset && lastOffset == other.lastOffset && crc == other.crc
                    && partitionLeaderEpoch == other.partitionLeaderEpoch;
        }

        @Override
        public String toString() {
            return "[" + baseOffset + ".." + lastOffset + " crc " + Long.toHexString(crc) + " epoch " + partitionLeaderEpoch
                    + (valid ? "" : " CORRUPT") + "]";
        }
    }

    /**
     * Compares every partition of {@code topics} found in the log directories.
     *
     * @param logDirs          node id to that node's log directory
     * @param topics           the topics to compare
     * @param expectedReplicas how many replicas each partition should have (a partition found in fewer
     *                         log directories is inconsistent); 0 to accept any number
     */
    public static ReplicaCheckResult check(Map<Integer, Path> logDirs, Set<String> topics, int expectedReplicas) {
        Map<TopicPartition, Map<Integer, Path>> replicas = new TreeMap<>((a, b) -> a.topic().equals(b.topic())
                ? Integer.compare(a.partition(), b.partition()) : a.topic().compareTo(b.topic()));
        Map<Integer, Map<TopicPartition, Long>> highWatermarks = new HashMap<>();
        Map<Integer, Map<TopicPartition, Long>> logStarts = new HashMap<>();
        logDirs.forEach((node, dir) -> {
            highWatermarks.put(node, readCheckpoint(dir.resolve(HIGH_WATERMARK_CHECKPOINT)));
            logStarts.put(node, readCheckpoint(dir.resolve(LOG_START_OFFSET_CHECKPOINT)));
            partitionDirs(dir).forEach((partition, path) -> {
                if (topics.contains(partition.topic())) {
                    replicas.computeIfAbsent(partition, p -> new TreeMap<>()).put(node, path);
                }
            });
        });
        ReplicaCheckResult.Builder result = new ReplicaCheckResult.Builder(EXAMPLES);
        replicas.forEach((partition, dirs) -> comparePartition(partition, dirs, highWatermarks, logStarts, expectedReplicas, result));
        return result.build();
    }

    private static void comparePartition(TopicPartition partition, Map<Integer, Path> dirs, Map<Integer, Map<TopicPartition, Long>> highWatermarks,
                                         Map<Integer, Map<TopicPartition, Long>> logStarts, int expectedReplicas, ReplicaCheckResult.Builder result) {
        long committed = dirs.keySet().stream().mapToLong(node -> highWatermarks.get(node).getOrDefault(partition, 0L)).max().orElse(0);
        long start = dirs.keySet().stream().mapToLong(node -> logStarts.get(node).getOrDefault(partition, 0L)).max().orElse(0);
        Map<Integer, TreeMap<Long, Batch>> batchesByNode = new TreeMap<>();
        dirs.forEach((node, dir) -> batchesByNode.put(node, committedBatches(dir, start, committed)));
        List<String> problems = new ArrayList<>();
        if (expectedReplicas > 0 && dirs.size() < expectedReplicas) {
            problems.add("only " + dirs.size() + " of " + expectedReplicas + " replicas, on nodes " + dirs.keySet());
        }
        batchesByNode.forEach((node, batches) -> batches.values().stream().filter(batch -> !batch.valid()).forEach(batch ->
                problems.add("node " + node + " has a corrupt batch " + batch + " in " + batch.segment())));
        Set<Long> baseOffsets = new TreeSet<>();
        batchesByNode.values().forEach(batches -> baseOffsets.addAll(batches.keySet()));
        int divergent = 0;
        int missing = 0;
        for (long baseOffset : baseOffsets) {
            Batch reference = null;
            int referenceNode = -1;
            for (Map.Entry<Integer, TreeMap<Long, Batch>> replica : batchesByNode.entrySet()) {
                Batch batch = replica.getValue().get(baseOffset);
                if (batch == null) {
                    if (missing++ < 3) {
                        problems.add("node " + replica.getKey() + " lacks the batch at offset " + baseOffset + " " + otherCopy(batchesByNode, baseOffset));
                    }
                } else if (reference == null) {
                    reference = batch;
                    referenceNode = replica.getKey();
                } else if (!batch.sameAs(reference) && divergent++ < 3) {
                    problems.add("node " + replica.getKey() + " has " + batch + " where node " + referenceNode + " has " + reference);
                }
            }
        }
        if (missing > 3 || divergent > 3) {
            problems.add("in all " + missing + " missing and " + divergent + " differing batch copies");
        }
        result.partition(partition + " (committed below " + committed + ", from " + start + ", replicas on " + dirs.keySet() + ")", baseOffsets.size(),
                divergent, missing, problems);
    }

    private static String otherCopy(Map<Integer, TreeMap<Long, Batch>> batchesByNode, long baseOffset) {
        return batchesByNode.entrySet().stream().filter(e -> e.getValue().containsKey(baseOffset)).findFirst()
                .map(e -> e.getValue().get(baseOffset) + " that node " + e.getKey() + " has").orElse("");
    }

    /**
     * Every batch of one replica's partition directory, by base offset: for tests that watch a log grow (a
     * broker may be writing it; a batch being written may be left out).
     */
    public static TreeMap<Long, Batch> batches(Path partitionDir) {
        return Files.isDirectory(partitionDir) ? committedBatches(partitionDir, 0, Long.MAX_VALUE) : new TreeMap<>();
    }

    /** The batches of a replica that hold offsets in [start, committed), by base offset. */
    static TreeMap<Long, Batch> committedBatches(Path partitionDir, long start, long committed) {
        TreeMap<Long, Batch> batches = new TreeMap<>();
        for (Path segment : segments(partitionDir)) {
            try (FileRecords records = FileRecords.open(segment.toFile(), false)) {
                for (FileChannelRecordBatch batch : records.batches()) {
                    if (batch.baseOffset() >= committed) {
                        break;
                    }
                    if (batch.lastOffset() >= start) {
                        batches.put(batch.baseOffset(), new Batch(batch.baseOffset(), batch.lastOffset(), batch.checksum(), batch.partitionLeaderEpoch(),
                                batch.isValid(), segment.getFileName().toString()));
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException("Cannot read " + segment, e);
            }
        }
        return batches;
    }

    private static List<Path> segments(Path partitionDir) {
        try (Stream<Path> files = Files.list(partitionDir)) {
            return files.filter(file -> file.getFileName().toString().endsWith(".log")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + partitionDir, e);
        }
    }

    /** The partition directories of a log directory ({@code <topic>-<partition>}), by partition. */
    static Map<TopicPartition, Path> partitionDirs(Path logDir) {
        Map<TopicPartition, Path> dirs = new HashMap<>();
        if (!Files.isDirectory(logDir)) {
            return dirs;
        }
        try (Stream<Path> entries = Files.list(logDir)) {
            entries.filter(Files::isDirectory).forEach(dir -> {
                Matcher matcher = PARTITION_DIR.matcher(dir.getFileName().toString());
                if (matcher.matches()) {
                    dirs.put(new TopicPartition(matcher.group(1), Integer.parseInt(matcher.group(2))), dir);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot list " + logDir, e);
        }
        return dirs;
    }

    /**
     * Reads a Kafka offset checkpoint file: version 0, a count line, then {@code topic partition offset} lines.
     * A missing file reads as empty.
     *
     * @throws IllegalStateException if the file is not in that format
     */
    public static Map<TopicPartition, Long> readCheckpoint(Path file) {
        Map<TopicPartition, Long> offsets = new HashMap<>();
        if (!Files.exists(file)) {
            return offsets;
        }
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + file, e);
        }
        if (lines.size() < 2 || !"0".equals(lines.get(0).trim())) {
            throw new IllegalStateException(file + " is not a version 0 offset checkpoint: " + lines);
        }
        int count = Integer.parseInt(lines.get(1).trim());
        if (lines.size() - 2 != count) {
            throw new IllegalStateException(file + " announces " + count + " entries but has " + (lines.size() - 2));
        }
        for (String line : lines.subList(2, lines.size())) {
            String[] fields = line.trim().split(" ");
            if (fields.length != 3) {
                throw new IllegalStateException(file + " has a malformed entry: " + line);
            }
            offsets.put(new TopicPartition(fields[0], Integer.parseInt(fields[1])), Long.parseLong(fields[2]));
        }
        return offsets;
    }
}
