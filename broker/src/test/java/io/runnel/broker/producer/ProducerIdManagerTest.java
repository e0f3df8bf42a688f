package io.runnel.broker.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.errors.CoordinatorLoadInProgressException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.jupiter.api.Test;

class ProducerIdManagerTest {

    @Test
    void shouldHandOutIdsFromOneBlockThenReserveTheNext() {
        AtomicInteger reservations = new AtomicInteger();
        ProducerIdManager ids = new ProducerIdManager(count -> 5_000L * reservations.incrementAndGet());

        for (int i = 0; i < 1_000; i++) {
            assertThat(ids.nextProducerId()).isEqualTo(5_000L + i);
        }
        assertThat(ids.nextProducerId()).isEqualTo(10_000L);
        assertThat(reservations).hasValue(2);
    }

    @Test
    void shouldTellOtherCallersToRetryWhileOneWaitsForTheController() throws Exception {
        CountDownLatch controllerAnswers = new CountDownLatch(1);
        CountDownLatch reserving = new CountDownLatch(1);
        ProducerIdManager ids = new ProducerIdManager(count -> {
            reserving.countDown();
            await(controllerAnswers);
            return 42L;
        });
        CompletableFuture<Long> first = CompletableFuture.supplyAsync(ids::nextProducerId);
        assertThat(reserving.await(10, TimeUnit.SECONDS)).isTrue();

        assertThatThrownBy(ids::nextProducerId).isInstanceOf(CoordinatorLoadInProgressException.class);

        controllerAnswers.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(42L);
        assertThat(ids.nextProducerId()).isEqualTo(43L);
    }

    @Test
    void shouldReserveAgainAfterAFailedReservation() {
        AtomicInteger calls = new AtomicInteger();
        ProducerIdManager ids = new ProducerIdManager(count -> {
            if (calls.incrementAndGet() == 1) {
                throw new TimeoutException("no controller");
            }
            return 7L;
        });

        assertThatThrownBy(ids::nextProducerId).isInstanceOf(TimeoutException.class);
        assertThat(ids.nextProducerId()).isEqualTo(7L);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void shouldNeverWaitForTheControllerWhenAskedWithoutBlocking() {
        List<Runnable> reservations = new ArrayList<>();
        ProducerIdManager ids = reservedOnce(reservations);

        assertThat(ids.tryNextProducerId(reservations::add)).isEqualTo(5_000L);
        assertThat(reservations).isEmpty();
    }

    @Test
    void shouldReserveTheNextBlockAheadOnceNinetyPercentIsUsed() {
        List<Runnable> reservations = new ArrayList<>();
        ProducerIdManager ids = reservedOnce(reservations);

        for (int i = 0; i <= 900; i++) {
            ids.tryNextProducerId(reservations::add);
        }
        assertThat(reservations).hasSize(1);
        reservations.remove(0).run();
        for (int i = 901; i < 1_000; i++) {
            assertThat(ids.tryNextProducerId(reservations::add)).isEqualTo(5_000L + i);
        }
        assertThat(ids.tryNextProducerId(reservations::add)).isEqualTo(10_000L);
    }

    /** A manager whose first non-blocking call was told to retry while its first block (5000) was reserved. */
    private static ProducerIdManager reservedOnce(List<Runnable> reservations) {
        AtomicInteger blocks = new AtomicInteger();
        ProducerIdManager ids = new ProducerIdManager(count -> 5_000L * blocks.incrementAndGet());
        assertThatThrownBy(() -> ids.tryNextProducerId(reservations::add)).isInstanceOf(CoordinatorLoadInProgressException.class);
        assertThat(reservations).hasSize(1);
        reservations.remove(0).run();
        return ids;
    }
}
