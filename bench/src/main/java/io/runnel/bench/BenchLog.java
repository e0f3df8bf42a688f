package io.runnel.bench;

import io.runnel.storage.log.LogConfig;
import io.runnel.storage.log.LogManager;
import io.runnel.storage.log.PartitionLog;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;

/** A partition log in a temporary directory, removed again on close. One per benchmark trial. */
final class BenchLog implements AutoCloseable {

    private final Path dir;
    private final LogManager logManager;
    private final PartitionLog log;

    BenchLog(String name, LogConfig config) throws IOException {
        dir = Files.createTempDirectory("runnel-bench-" + name);
        logManager = LogManager.open(List.of(dir), Clock.systemUTC());
        log = logManager.getOrCreateLog(new TopicPartition("bench", 0), Uuid.randomUuid(), config);
    }

    PartitionLog log() {
        return log;
    }

    @Override
    public void close() throws IOException {
        logManager.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        }
    }
}
