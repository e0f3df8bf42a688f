package io.runnel.transaction;

import io.runnel.transaction.record.TransactionRecord;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import org.apache.kafka.common.protocol.Errors;

/**
 * What an operation asks of its caller: either an answer right away, or records to append to one
 * {@code __transaction_state} partition and an answer that exists only once the append is done.
 *
 * <p>The caller appends {@link #records()}, waits until they are replicated, and then calls
 * {@link #complete} on the coordinator's thread with the outcome of the write (NONE, or the write's
 * error). Until then the transactional id has a pending state and answers CONCURRENT_TRANSACTIONS.
 *
 * @param <R> the answer's type
 */
public final class CoordinatorResult<R> {

    /** Runs on the coordinator thread once the records are written or failed to be. */
    @FunctionalInterface
    public interface Continuation<R> {
        Outcome<R> onWritten(Errors writeError, long nowMs);
    }

    /**
     * The answer once the write is done, and the markers to send if a Prepare* became durable.
     */
    public record Outcome<R>(R answer, List<TxnMarkers> markers) {

        public Outcome {
            markers = List.copyOf(markers);
        }

        public static <R> Outcome<R> of(R answer) {
            return new Outcome<>(answer, List.of());
        }

        <S> Outcome<S> map(Function<R, S> f) {
            return new Outcome<>(f.apply(answer), markers);
        }
    }

    private final int partition;
    private final List<TransactionRecord> records;
    private final R answer;
    private final Continuation<R> continuation;

    private CoordinatorResult(int partition, List<TransactionRecord> records, R answer, Continuation<R> continuation) {
        this.partition = partition;
        this.records = List.copyOf(records);
        this.answer = answer;
        this.continuation = continuation;
    }

    /** Nothing to write: the answer is final. */
    public static <R> CoordinatorResult<R> answer(R answer) {
        return new CoordinatorResult<>(-1, List.of(), answer, null);
    }

    /** Write the records to the partition first; the continuation gives the answer. */
    static <R> CoordinatorResult<R> write(int partition, List<TransactionRecord> records, Continuation<R> continuation) {
        if (records.isEmpty()) {
            throw new IllegalArgumentException("a write without records");
        }
        return new CoordinatorResult<>(partition, records, null, Objects.requireNonNull(continuation));
    }

    /** Whether records must be written before the answer exists. */
    public boolean needsWrite() {
        return continuation != null;
    }

    /** The {@code __transaction_state} partition to append to; -1 when there is nothing to write. */
    public int partition() {
        return partition;
    }

    public List<TransactionRecord> records() {
        return records;
    }

    /** The answer of an operation that writes nothing. */
    public R answer() {
        if (needsWrite()) {
            throw new IllegalStateException("the answer exists once the records are written");
        }
        return answer;
    }

    /**
     * Completes the operation after its write: applies the change if the write succeeded and the
     * partition is still owned at the same coordinator epoch, and gives the answer.
     */
    public Outcome<R> complete(Errors writeError, long nowMs) {
        return needsWrite() ? continuation.onWritten(writeError, nowMs) : Outcome.of(answer);
    }

    /** The same operation with its answer changed, e.g. the fence InitProducerId answers with a retriable error. */
    <S> CoordinatorResult<S> map(Function<R, S> f) {
        if (!needsWrite()) {
            return answer(f.apply(answer));
        }
        return new CoordinatorResult<>(partition, records, null, (error, now) -> continuation.onWritten(error, now).map(f));
    }
}
