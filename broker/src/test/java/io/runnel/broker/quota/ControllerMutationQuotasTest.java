package io.runnel.broker.quota;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.broker.config.QuotaWindow;
import io.runnel.protocol.KafkaRequest;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.errors.ThrottlingQuotaExceededException;
import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.junit.jupiter.api.Test;

/** Kafka's strict and permissive controller mutation quotas (token buckets) on a clock of the test's. */
class ControllerMutationQuotasTest {

    private static final ClientQuotaEntity ADMIN_TOOL = new ClientQuotaEntity(Map.of(ClientQuotaEntity.CLIENT_ID, "admin-tool"));
    /** Burst of 2 s x 5 partitions/s: 10 partitions at once. */
    private static final QuotaWindow TWO_SECONDS = new QuotaWindow(2, 1);

    private final AtomicReference<Map<ClientQuotaEntity, Map<String, Double>>> quotas = new AtomicReference<>(Map.of());
    private final AtomicLong clock = new AtomicLong(1_000_000);
    private final List<Integer> throttleTimes = new CopyOnWriteArrayList<>();
    private final ControllerMutationQuotas mutationQuotas = new ControllerMutationQuotas(TWO_SECONDS, quotas::get, clock::get, throttleTimes::add);

    private static KafkaRequest createTopics(String clientId, int version) {
        RequestHeaderData header = new RequestHeaderData().setRequestApiKey(ApiKeys.CREATE_TOPICS.id).setRequestApiVersion((short) version)
                .setClientId(clientId);
        return new KafkaRequest(header, ApiKeys.CREATE_TOPICS, new CreateTopicsRequestData())
                .from("127.0.0.1", "PLAINTEXT", new KafkaPrincipal(KafkaPrincipal.USER_TYPE, "alice"));
    }

    private MutationQuota quotaOf(String clientId, int version) {
        return mutationQuotas.forRequest(createTopics(clientId, version), 6);
    }

    private void setRate(double partitionsPerSecond) {
        quotas.set(Map.of(ADMIN_TOOL, Map.of("controller_mutation_rate", partitionsPerSecond)));
    }

    @Test
    void shouldLeaveAClientWithoutAQuotaUnbounded() {
        setRate(5);
        MutationQuota quota = quotaOf("other-tool", 7);

        quota.record(1_000);
        quota.record(1_000);

        assertThat(quota).isSameAs(MutationQuota.UNBOUNDED);
        assertThat(quota.throttleTimeMs()).isZero();
    }

    @Test
    void shouldAcceptAChangeThatTakesTheBucketBelowZeroThenRefuseTheNext() {
        setRate(5);
        MutationQuota quota = quotaOf("admin-tool", 6);

        quota.record(20); // 10 tokens in the bucket: accepted whole, 10 owed

        assertThat(quota.throttleTimeMs()).isZero();
        assertThatThrownBy(() -> quota.record(1))
                .isInstanceOfSatisfying(ThrottlingQuotaExceededException.class, e -> assertThat(e.throttleTimeMs()).isEqualTo(2_000));
        assertThat(quota.throttleTimeMs()).isEqualTo(2_000);
        assertThat(throttleTimes).containsExactly(2_000);
    }

    @Test
    void shouldCountTheTimeSinceTheRefusalOffTheThrottleTime() {
        setRate(5);
        MutationQuota quota = quotaOf("admin-tool", 6);
        quota.record(20);
        assertThatThrownBy(() -> quota.record(1)).isInstanceOf(ThrottlingQuotaExceededException.class);

        clock.addAndGet(500);

        assertThat(quota.throttleTimeMs()).isEqualTo(1_500);
    }

    @Test
    void shouldShareTheBucketAcrossRequestsAndRefillItAtTheRate() {
        setRate(5);
        quotaOf("admin-tool", 6).record(20);

        assertThatThrownBy(() -> quotaOf("admin-tool", 6).record(1)).isInstanceOf(ThrottlingQuotaExceededException.class);
        clock.addAndGet(2_000); // 10 tokens back: at zero

        quotaOf("admin-tool", 6).record(1);
    }

    @Test
    void shouldOnlyThrottleAnOlderVersionPermissively() {
        setRate(5);
        MutationQuota quota = quotaOf("admin-tool", 5);

        quota.record(20);
        quota.record(5);

        // 15 tokens owed at 5 per second
        assertThat(quota.throttleTimeMs()).isEqualTo(3_000);
    }

    @Test
    void shouldGiveBackAChangeTheControllerRefused() {
        setRate(5);
        MutationQuota quota = quotaOf("admin-tool", 6);
        quota.record(20);
        quota.giveBack(20);

        quota.record(10);

        assertThat(quota.throttleTimeMs()).isZero();
    }

    @Test
    void shouldApplyAChangedRateToTheTokensAlreadyTaken() {
        setRate(5);
        quotaOf("admin-tool", 6).record(20);
        setRate(10);

        assertThatThrownBy(() -> quotaOf("admin-tool", 6).record(1))
                .isInstanceOfSatisfying(ThrottlingQuotaExceededException.class, e -> assertThat(e.throttleTimeMs()).isEqualTo(1_000));
    }
}
