package io.runnel.broker.quota;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.broker.config.QuotaWindow;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.junit.jupiter.api.Test;

/** Rates measured and throttle times computed as Kafka's ClientQuotaManager does, on a clock of the test's. */
class ClientQuotaManagerTest {

    private static final KafkaPrincipal ALICE = new KafkaPrincipal(KafkaPrincipal.USER_TYPE, "alice");
    private static final ClientQuotaEntity ALICE_ENTITY = new ClientQuotaEntity(Map.of(ClientQuotaEntity.USER, "alice"));

    private final AtomicReference<Map<ClientQuotaEntity, Map<String, Double>>> quotas = new AtomicReference<>(Map.of());
    private final ClientQuotaManager manager = new ClientQuotaManager(QuotaKey.PRODUCER_BYTE_RATE, QuotaWindow.DEFAULT, quotas::get);

    private void setAlice(double bytesPerSecond) {
        Map<ClientQuotaEntity, Map<String, Double>> changed = new HashMap<>(quotas.get());
        changed.put(ALICE_ENTITY, Map.of("producer_byte_rate", bytesPerSecond));
        quotas.set(changed);
    }

    @Test
    void shouldNotThrottleWithoutAQuota() {
        assertThat(manager.recordAndGetThrottleTimeMs(ALICE, "app", 1e9, 1000)).isZero();
        assertThat(manager.maxValueInQuotaWindow(ALICE, "app")).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void shouldThrottleByKafkasFormulaOnceTheRateIsOverTheQuota() {
        setAlice(1000);
        long now = 1_000_000;
        // Within the first window Kafka counts the rate over (samples - 1) full windows: 10 s.
        assertThat(manager.recordAndGetThrottleTimeMs(ALICE, "app", 10_000, now)).isZero();

        int throttleMs = manager.recordAndGetThrottleTimeMs(ALICE, "app", 10_000, now);

        // 20,000 bytes over 10 s is 2,000 B/s against 1,000: (2000 - 1000) / 1000 * 10,000 ms
        assertThat(throttleMs).isEqualTo(10_000);
    }

    @Test
    void shouldTakeBackAnUnrecordedValue() {
        setAlice(1000);
        long now = 1_000_000;
        manager.recordAndGetThrottleTimeMs(ALICE, "app", 10_000, now);
        manager.unrecord(ALICE, "app", 10_000, now);

        assertThat(manager.recordAndGetThrottleTimeMs(ALICE, "app", 10_000, now)).isZero();
    }

    @Test
    void shouldApplyAChangedQuotaToTheNextRequest() {
        setAlice(1000);
        long now = 1_000_000;
        assertThat(manager.recordAndGetThrottleTimeMs(ALICE, "app", 5_000, now)).isZero();

        setAlice(100);

        assertThat(manager.recordAndGetThrottleTimeMs(ALICE, "app", 1, now)).isPositive();
        assertThat(manager.limit(ALICE, "other")).isEqualTo(100.0);
    }

    @Test
    void shouldCapAFetchAtWhatTheQuotaLetsThroughInAWindow() {
        setAlice(1000);

        // Kafka: quota * (samples - 1) * window seconds
        assertThat(manager.maxValueInQuotaWindow(ALICE, "app")).isEqualTo(10_000);
    }

    @Test
    void shouldForgetTheRatesOfClientsIdleForAnHour() {
        Map<ClientQuotaEntity, Map<String, Double>> defaultClient = new HashMap<>();
        Map<String, String> entries = new HashMap<>();
        entries.put(ClientQuotaEntity.CLIENT_ID, null);
        defaultClient.put(new ClientQuotaEntity(entries), Map.of("producer_byte_rate", 1000.0));
        quotas.set(defaultClient);
        long now = System.currentTimeMillis();
        manager.recordAndGetThrottleTimeMs(ALICE, "first", 10, now);
        manager.recordAndGetThrottleTimeMs(ALICE, "second", 10, now);
        assertThat(manager.trackedRates()).isEqualTo(2);

        manager.recordAndGetThrottleTimeMs(ALICE, "later", 10, now + ClientQuotaManager.IDLE_EXPIRY_MS + 1);

        assertThat(manager.trackedRates()).isEqualTo(1);
    }
}
