package io.runnel.cli.client;

import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.KafkaFuture;

/** Waits for an admin call's result, throwing what the call failed with rather than a wrapper. Stateless. */
public final class KafkaResults {

    private KafkaResults() {
    }

    /**
     * The future's value once it completes.
     *
     * @throws RuntimeException the call's failure (a {@link org.apache.kafka.common.KafkaException}
     *                          for one the broker reported)
     */
    public static <T> T get(KafkaFuture<T> future) throws InterruptedException {
        try {
            return future.get();
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException failure) {
                throw failure;
            }
            throw new IllegalStateException(e.getCause());
        }
    }
}
