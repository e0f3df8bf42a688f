package io.runnel.broker.quota;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.junit.jupiter.api.Test;

/** Kafka's precedence of quota entities (DefaultQuotaCallback), one step of the order at a time. */
class QuotaResolverTest {

    private static final String KEY = "producer_byte_rate";
    private static final String DEFAULT = null;

    private final Map<ClientQuotaEntity, Map<String, Double>> quotas = new HashMap<>();

    private void set(double value, String user, String clientId) {
        Map<String, String> entries = new HashMap<>();
        if (!"-".equals(user)) {
            entries.put(ClientQuotaEntity.USER, user);
        }
        if (!"-".equals(clientId)) {
            entries.put(ClientQuotaEntity.CLIENT_ID, clientId);
        }
        quotas.put(new ClientQuotaEntity(entries), Map.of(KEY, value));
    }

    private QuotaResolver.Resolution aliceApp() {
        return QuotaResolver.resolve(quotas, KEY, "alice", "app");
    }

    @Test
    void shouldApplyNoQuotaWhenNoneIsSet() {
        set(5, "bob", "-");

        assertThat(aliceApp().limit()).isNull();
    }

    @Test
    void shouldFollowKafkasOrderFromTheDefaultClientUp() {
        set(8, "-", DEFAULT);
        assertThat(aliceApp()).isEqualTo(new QuotaResolver.Resolution(new QuotaResolver.QuotaTags("", "app"), 8.0));

        set(7, "-", "app");
        assertThat(aliceApp()).isEqualTo(new QuotaResolver.Resolution(new QuotaResolver.QuotaTags("", "app"), 7.0));

        set(6, DEFAULT, "-");
        assertThat(aliceApp()).isEqualTo(new QuotaResolver.Resolution(new QuotaResolver.QuotaTags("alice", ""), 6.0));

        set(5, DEFAULT, DEFAULT);
        assertThat(aliceApp()).isEqualTo(new QuotaResolver.Resolution(new QuotaResolver.QuotaTags("alice", "app"), 5.0));

        set(4, DEFAULT, "app");
        assertThat(aliceApp()).isEqualTo(new QuotaResolver.Resolution(new QuotaResolver.QuotaTags("alice", "app"), 4.0));

        set(3, "alice", "-");
        assertThat(aliceApp()).isEqualTo(new QuotaResolver.Resolution(new QuotaResolver.QuotaTags("alice", ""), 3.0));

        set(2, "alice", DEFAULT);
        assertThat(aliceApp()).isEqualTo(new QuotaResolver.Resolution(new QuotaResolver.QuotaTags("alice", "app"), 2.0));

        set(1, "alice", "app");
        assertThat(aliceApp()).isEqualTo(new QuotaResolver.Resolution(new QuotaResolver.QuotaTags("alice", "app"), 1.0));
    }

    @Test
    void shouldShareAUserQuotaAcrossTheUsersClients() {
        set(100, "alice", "-");

        assertThat(QuotaResolver.resolve(quotas, KEY, "alice", "other").tags()).isEqualTo(aliceApp().tags());
        assertThat(QuotaResolver.resolve(quotas, KEY, "bob", "app").limit()).isNull();
    }

    @Test
    void shouldGiveEachClientIdItsOwnShareOfTheDefaultClientQuota() {
        set(100, "-", DEFAULT);

        assertThat(QuotaResolver.resolve(quotas, KEY, "alice", "other").tags()).isNotEqualTo(aliceApp().tags());
        assertThat(QuotaResolver.resolve(quotas, KEY, "bob", "app").tags()).isEqualTo(aliceApp().tags());
    }

    @Test
    void shouldIgnoreQuotasOfOtherKeys() {
        quotas.put(new ClientQuotaEntity(Map.of(ClientQuotaEntity.USER, "alice")), Map.of("consumer_byte_rate", 10.0));

        assertThat(aliceApp().limit()).isNull();
    }
}
