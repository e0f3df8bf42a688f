package io.runnel.storage.segment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.SimpleRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogSegmentTest {
    private static final long T0 = 1_700_000_000_000L;

    @TempDir
    Path dir;

    private static MemoryRecords batch(long offset, long timestamp, String value) {
        return MemoryRecords.withRecords(offset, Compression.NONE,
                new SimpleRecord(timestamp, null, value.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void shouldUndoAppendWhenIndexingFailsAfterTheWrite() throws Exception {
        LogSegment segment = LogSegment.create(dir, 0, 0, 1024, T0);
        segment.append(0, T0, 0, batch(0, T0, "a"));
        int size = segment.size();
        MemoryRecords second = batch(1, T0 + 1, "b");

        // an offset of max timestamp below the base: the offset index entry is written, then the time index throws
        assertThatThrownBy(() -> segment.append(1, T0 + 1, -1, second)).isInstanceOf(IllegalArgumentException.class);

        assertThat(segment.size()).isEqualTo(size);
        assertThat(Files.size(segment.logFile())).isEqualTo(size);
        assertThat(segment.maxTimestampSoFar()).isEqualTo(T0);
        assertThat(segment.indexesLookValid()).isTrue();
        assertThat(segment.loadTail()).isEqualTo(1);

        segment.append(1, T0 + 1, 1, second);

        assertThat(segment.loadTail()).isEqualTo(2);
        assertThat(segment.indexesLookValid()).isTrue();
        assertThat(segment.maxTimestampSoFar()).isEqualTo(T0 + 1);
        assertThat(segment.read(1, Integer.MAX_VALUE, false, segment.size()))
                .hasValue(new ByteRange(size, segment.size() - size));
        segment.close();
    }
}
