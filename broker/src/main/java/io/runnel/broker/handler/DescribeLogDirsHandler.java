package io.runnel.broker.handler;

import io.runnel.protocol.KafkaRequest;
import io.runnel.storage.log.LogManager;
import io.runnel.storage.log.PartitionLog;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.DescribeLogDirsRequestData;
import org.apache.kafka.common.message.DescribeLogDirsRequestData.DescribableLogDirTopic;
import org.apache.kafka.common.message.DescribeLogDirsResponseData;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsPartition;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsResult;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsTopic;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeLogDirsResponse;

/**
 * DescribeLogDirs: each log directory with the size and offset lag of every partition in it (all
 * partitions, or those asked for), and the total and usable bytes of its volume (v4+). A directory
 * whose volume cannot be read is answered with KAFKA_STORAGE_ERROR. No replica is ever a future one
 * (no moves between directories).
 */
public final class DescribeLogDirsHandler implements ApiHandler {

    private static final long UNKNOWN_BYTES = -1L;

    private final LogManager logManager;

    /** A handler describing the directories of {@code logManager}. */
    public DescribeLogDirsHandler(LogManager logManager) {
        this.logManager = logManager;
    }

    @Override
    public CompletableFuture<ApiMessage> handle(KafkaRequest request) {
        DescribeLogDirsRequestData data = (DescribeLogDirsRequestData) request.body();
        DescribeLogDirsResponseData response = new DescribeLogDirsResponseData();
        for (Path dir : logManager.logDirs()) {
            response.results().add(describe(dir, data));
        }
        return CompletableFuture.completedFuture(response);
    }

    private DescribeLogDirsResult describe(Path dir, DescribeLogDirsRequestData request) {
        DescribeLogDirsResult result = new DescribeLogDirsResult().setLogDir(dir.toAbsolutePath().normalize().toString());
        try {
            FileStore store = Files.getFileStore(dir);
            result.setTotalBytes(store.getTotalSpace()).setUsableBytes(store.getUsableSpace());
        } catch (IOException e) {
            return result.setErrorCode(Errors.KAFKA_STORAGE_ERROR.code()).setTotalBytes(UNKNOWN_BYTES).setUsableBytes(UNKNOWN_BYTES);
        }
        Map<String, DescribeLogDirsTopic> topics = new TreeMap<>();
        for (PartitionLog log : logManager.allLogs()) {
            if (log.dir().getParent().equals(dir) && wanted(request, log.topicPartition().topic(), log.topicPartition().partition())) {
                topics.computeIfAbsent(log.topicPartition().topic(), name -> new DescribeLogDirsTopic().setName(name))
                        .partitions().add(new DescribeLogDirsPartition()
                                .setPartitionIndex(log.topicPartition().partition())
                                .setPartitionSize(log.sizeInBytes())
                                .setOffsetLag(offsetLag(log))
                                .setIsFutureKey(false));
            }
        }
        return result.setTopics(topics.values().stream().toList());
    }

    /**
     * How far this replica's log end is behind its high watermark, as Kafka's ReplicaManager computes
     * it for a current (not future) replica: never below 0, so 0 for a leader and for a follower that
     * has what it was told is committed; -1 (unknown) when the log is offline.
     */
    static long offsetLag(PartitionLog log) {
        return log.isOffline() ? DescribeLogDirsResponse.INVALID_OFFSET_LAG : Math.max(0, log.highWatermark() - log.logEndOffset());
    }

    /** A null topic list asks for every partition. */
    private static boolean wanted(DescribeLogDirsRequestData request, String topic, int partition) {
        if (request.topics() == null) {
            return true;
        }
        DescribableLogDirTopic asked = request.topics().find(topic);
        return asked != null && asked.partitions().contains(partition);
    }
}
