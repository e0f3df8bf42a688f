package io.runnel.it.support;

import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;
import org.apache.kafka.common.protocol.Errors;

/**
 * Raw coordinator requests sent again while the answer is one a client retries: the coordinator
 * loads or is not found yet, or a previous change of the same transaction is still completing.
 */
public final class CoordinatorRetries {

    private static final Set<Errors> RETRIABLE = Set.of(Errors.COORDINATOR_LOAD_IN_PROGRESS, Errors.COORDINATOR_NOT_AVAILABLE,
            Errors.NOT_COORDINATOR, Errors.CONCURRENT_TRANSACTIONS);

    private CoordinatorRetries() {
    }

    /** The first answer of {@code call} whose error, read by {@code errorCode}, is not retriable (within 30 s). */
    public static <T> T retrying(Supplier<T> call, ToIntFunction<T> errorCode) {
        return retrying(call, errorCode, RETRIABLE);
    }

    /** The first answer of {@code call} whose error, read by {@code errorCode}, is not one of {@code retried} (within 30 s). */
    public static <T> T retrying(Supplier<T> call, ToIntFunction<T> errorCode, Set<Errors> retried) {
        AtomicReference<T> last = new AtomicReference<>();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
            last.set(call.get());
            return !retried.contains(Errors.forCode((short) errorCode.applyAsInt(last.get())));
        });
        return last.get();
    }
}
