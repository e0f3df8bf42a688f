package io.runnel.storage.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.junit.jupiter.api.Test;

class AppendValidationTest extends LogTestBase {

    private static final long HOUR = 3_600_000L;

    @Test
    void shouldRejectATimestampFurtherAheadThanAfterMaxMs() throws Exception {
        PartitionLog log = open(LogConfig.defaults());

        assertThatThrownBy(() -> log.appendAsLeader(Batches.plain(T0 + HOUR + 1, "late"), 0))
                .isInstanceOf(InvalidTimestampException.class)
                .hasMessageContaining("message.timestamp.after.max.ms");
        assertThat(log.logEndOffset()).isZero();
        assertThat(log.appendAsLeader(Batches.plain(T0 + HOUR, "in time"), 0).firstOffset()).isZero();
    }

    @Test
    void shouldRejectATimestampOlderThanBeforeMaxMs() throws Exception {
        PartitionLog log = open(LogConfig.defaults().withTimestamps(new TimestampPolicy(TimestampType.CREATE_TIME, HOUR, HOUR)));

        assertThatThrownBy(() -> log.appendAsLeader(Batches.plain(T0 - HOUR - 1, "old"), 0))
                .isInstanceOf(InvalidTimestampException.class)
                .hasMessageContaining("message.timestamp.before.max.ms");
        assertThat(log.logEndOffset()).isZero();
    }

    @Test
    void shouldNotCheckTimestampsOfLogAppendTimeTopics() throws Exception {
        PartitionLog log = open(LogConfig.defaults().withTimestampType(TimestampType.LOG_APPEND_TIME));

        AppendResult result = log.appendAsLeader(Batches.plain(T0 + 10 * HOUR, "restamped"), 0);

        assertThat(result.logAppendTime()).isEqualTo(T0);
    }

    @Test
    void shouldRejectABatchWhoseBaseOffsetIsNotZero() throws Exception {
        PartitionLog log = open(LogConfig.defaults());
        ByteBuffer batch = Batches.plain(T0, "a", "b");
        MemoryRecords.readableRecords(batch.duplicate()).batches().iterator().next().setLastOffset(1001);

        assertThatThrownBy(() -> log.appendAsLeader(batch, 0))
                .isInstanceOf(InvalidRecordException.class)
                .hasMessageContaining("base offset");
        assertThat(log.logEndOffset()).isZero();
    }
}
