package io.runnel.broker.partition;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PurgatoryTest {

    private static final TopicPartition PARTITION = new TopicPartition("t", 0);

    private final ScheduledThreadPoolExecutor timer = timer();
    private final Purgatory purgatory = new Purgatory(timer);

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1);
        timer.setRemoveOnCancelPolicy(true);
        return timer;
    }

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    @Test
    void shouldCompleteOnTheAppendThatBringsEnoughData() {
        CountingFetch fetch = new CountingFetch();
        purgatory.watch(fetch, List.of(PARTITION), TimeUnit.MINUTES.toMillis(1));
        assertThat(fetch.completions.get()).isZero();

        fetch.available = true;
        purgatory.wake(PARTITION);

        assertThat(fetch.completions.get()).isEqualTo(1);
    }

    @Test
    void shouldCompleteAtOnceWhenDataArrivedBeforeItWasWatched() {
        CountingFetch fetch = new CountingFetch();
        fetch.available = true;

        purgatory.watch(fetch, List.of(PARTITION), TimeUnit.MINUTES.toMillis(1));

        assertThat(fetch.completions.get()).isEqualTo(1);
    }

    @Test
    void shouldCompleteOnceWhenTheWaitEndsWithoutData() throws Exception {
        CountingFetch fetch = new CountingFetch();
        purgatory.watch(fetch, List.of(PARTITION), 1);

        timer.submit(() -> { }).get();
        timer.schedule(() -> { }, 5, TimeUnit.MILLISECONDS).get();
        fetch.available = true;
        purgatory.wake(PARTITION);

        assertThat(fetch.completions.get()).isEqualTo(1);
    }

    @Test
    void shouldForgetACompletedFetchInTheTimerAndThePartitions() {
        CountingFetch fetch = new CountingFetch();
        purgatory.watch(fetch, List.of(PARTITION, new TopicPartition("t", 1)), TimeUnit.HOURS.toMillis(1));
        assertThat(timer.getQueue()).hasSize(1);

        fetch.available = true;
        purgatory.wake(PARTITION);

        assertThat(fetch.completions.get()).isEqualTo(1);
        assertThat(timer.getQueue()).isEmpty();
        purgatory.wake(new TopicPartition("t", 1));
        assertThat(purgatory.watchedPartitions()).isZero();
    }

    @Test
    void shouldCompleteAFetchWhoseReadFails() {
        CountingFetch fetch = new CountingFetch() {
            @Override
            protected boolean canComplete() {
                throw new IllegalStateException("log closed");
            }
        };

        purgatory.watch(fetch, List.of(PARTITION), TimeUnit.HOURS.toMillis(1));

        assertThat(fetch.completions.get()).isEqualTo(1);
    }

    @Test
    void shouldIgnoreAppendsToOtherPartitions() {
        CountingFetch fetch = new CountingFetch();
        purgatory.watch(fetch, List.of(PARTITION), TimeUnit.MINUTES.toMillis(1));

        fetch.available = true;
        purgatory.wake(new TopicPartition("t", 1));

        assertThat(fetch.completions.get()).isZero();
    }

    private static class CountingFetch extends DelayedOperation {
        private final AtomicInteger completions = new AtomicInteger();
        private volatile boolean available;

        @Override
        protected boolean canComplete() {
            return available;
        }

        @Override
        protected void complete() {
            completions.incrementAndGet();
        }
    }
}
