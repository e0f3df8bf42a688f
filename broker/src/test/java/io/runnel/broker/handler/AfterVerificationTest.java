package io.runnel.broker.handler;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.errors.InvalidPidMappingException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AfterVerificationTest {

    private final ExecutorService requestHandler = Executors.newSingleThreadExecutor(task -> new Thread(task, "request-handler"));
    private final List<Runnable> handedOff = new CopyOnWriteArrayList<>();
    private final AfterVerification after = new AfterVerification(task -> {
        handedOff.add(task);
        requestHandler.execute(task);
    });

    @AfterEach
    void stop() {
        requestHandler.shutdownNow();
    }

    @Test
    void shouldAppendOnTheAskingThreadWhenNothingWaitedForTheCoordinator() {
        CompletableFuture<String> appended = after.then(CompletableFuture.completedFuture("nothing to verify"),
                (outcome, failure) -> outcome + " on " + Thread.currentThread().getName());

        assertThat(appended).isCompletedWithValue("nothing to verify on " + Thread.currentThread().getName());
        assertThat(handedOff).isEmpty();
    }

    @Test
    void shouldRefuseOnTheAskingThreadWhenTheVerificationFailedAtOnce() {
        CompletableFuture<String> refused = after.then(CompletableFuture.<String>failedFuture(new InvalidPidMappingException("two producers")),
                (outcome, failure) -> failure.getClass().getSimpleName());

        assertThat(refused).isCompletedWithValue("InvalidPidMappingException");
        assertThat(handedOff).isEmpty();
    }

    @Test
    void shouldHandTheCoordinatorsLaterAnswerToARequestHandler() throws Exception {
        CompletableFuture<String> answer = new CompletableFuture<>();
        CompletableFuture<String> appended = after.then(answer, (outcome, failure) -> outcome + " on " + Thread.currentThread().getName());

        Thread verificationChannel = new Thread(() -> answer.complete("verified"), "verification-channel");
        verificationChannel.start();
        verificationChannel.join();

        assertThat(appended.get(10, TimeUnit.SECONDS)).isEqualTo("verified on request-handler");
        assertThat(handedOff).hasSize(1);
    }
}
