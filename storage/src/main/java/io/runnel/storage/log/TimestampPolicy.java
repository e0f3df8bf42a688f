package io.runnel.storage.log;

import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.DefaultRecordBatch;
import org.apache.kafka.common.record.internal.RecordBatch;

/**
 * How a topic treats record timestamps ({@code message.timestamp.type},
 * {@code message.timestamp.before.max.ms}, {@code message.timestamp.after.max.ms}). Immutable.
 *
 * <p>For CreateTime topics the producer's timestamps are checked against the broker's clock, from the
 * batch header alone so no record is decoded: the batch's max timestamp bounds how far ahead any
 * record may be (exact), and its first timestamp stands for how far behind (records may carry smaller
 * deltas, so this check is the batch's, not every record's). LogAppendTime topics overwrite the
 * timestamp and check nothing.
 *
 * @param type CREATE_TIME or LOG_APPEND_TIME
 * @param beforeMaxMs how far in the past a timestamp may be
 * @param afterMaxMs how far in the future a timestamp may be
 */
public record TimestampPolicy(TimestampType type, long beforeMaxMs, long afterMaxMs) {

    /** Kafka's defaults: CreateTime, any age, at most one hour ahead. */
    public static final TimestampPolicy DEFAULT = new TimestampPolicy(TimestampType.CREATE_TIME, Long.MAX_VALUE, 3_600_000L);

    public TimestampPolicy {
        if (type != TimestampType.CREATE_TIME && type != TimestampType.LOG_APPEND_TIME) {
            throw new IllegalArgumentException("timestamp type must be CREATE_TIME or LOG_APPEND_TIME: " + type);
        }
        if (beforeMaxMs < 0 || afterMaxMs < 0) {
            throw new IllegalArgumentException("timestamp bounds must not be negative: " + beforeMaxMs + ", " + afterMaxMs);
        }
    }

    /** Whether the broker stamps batches with its own clock. */
    public boolean isLogAppendTime() {
        return type == TimestampType.LOG_APPEND_TIME;
    }

    /** The same bounds with another timestamp type. */
    public TimestampPolicy withType(TimestampType newType) {
        return new TimestampPolicy(newType, beforeMaxMs, afterMaxMs);
    }

    /**
     * @throws InvalidTimestampException (INVALID_TIMESTAMP) if the batch's timestamps lie outside the bounds
     */
    void check(RecordBatch batch, long now) {
        DefaultRecordBatch header = (DefaultRecordBatch) batch;
        if (isLogAppendTime()) {
            return;
        }
        if (batch.maxTimestamp() - now > afterMaxMs) {
            throw new InvalidTimestampException("Timestamp " + batch.maxTimestamp() + " of a batch is more than "
                    + afterMaxMs + " ms after the broker's time " + now + " (message.timestamp.after.max.ms)");
        }
        long first = header.baseTimestamp();
        if (first >= 0 && now - first > beforeMaxMs) {
            throw new InvalidTimestampException("Timestamp " + first + " of a batch is more than "
                    + beforeMaxMs + " ms before the broker's time " + now + " (message.timestamp.before.max.ms)");
        }
    }
}
