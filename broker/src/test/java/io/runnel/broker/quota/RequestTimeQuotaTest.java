package io.runnel.broker.quota;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.broker.config.QuotaWindow;
import io.runnel.protocol.KafkaRequest;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.junit.jupiter.api.Test;

/** request_percentage as Kafka's ClientRequestQuotaManager counts it, and the throttle time written into any answer. */
class RequestTimeQuotaTest {

    private static final long NOW = 1_000_000;
    private static final Map<ClientQuotaEntity, Map<String, Double>> ONE_PERCENT =
            Map.of(new ClientQuotaEntity(Map.of(ClientQuotaEntity.CLIENT_ID, "busy")), Map.of("request_percentage", 1.0));

    private final RequestTimeQuota quota = new RequestTimeQuota(
            new ClientQuotaManager(QuotaKey.REQUEST_PERCENTAGE, QuotaWindow.DEFAULT, () -> ONE_PERCENT), QuotaWindow.DEFAULT);

    private static KafkaRequest request(ApiKeys apiKey, ApiMessage body, String clientId) {
        RequestHeaderData header = new RequestHeaderData().setRequestApiKey(apiKey.id).setRequestApiVersion(apiKey.latestVersion()).setClientId(clientId);
        return new KafkaRequest(header, apiKey, body).from("127.0.0.1", "PLAINTEXT", KafkaPrincipal.ANONYMOUS);
    }

    @Test
    void shouldThrottleAClientOverItsShareOfAThreadByAtMostOneWindow() {
        // 50 ms of a thread is 5 percent-seconds; over Kafka's first ten seconds, 0.5%: within 1%.
        assertThat(quota.recordAndGetThrottleTimeMs(request(ApiKeys.METADATA, new MetadataRequestData(), "busy"), TimeUnit.MILLISECONDS.toNanos(50), NOW))
                .isZero();

        int throttleMs = quota.recordAndGetThrottleTimeMs(request(ApiKeys.METADATA, new MetadataRequestData(), "busy"),
                TimeUnit.MILLISECONDS.toNanos(500), NOW);

        // 55 percent-seconds over 10 s is 5.5% against 1%: Kafka's delay of 45 s, bounded by one window
        assertThat(throttleMs).isEqualTo(1_000);
    }

    @Test
    void shouldNotRecordExemptRequestsNorClientsWithoutAQuota() {
        long aSecond = TimeUnit.SECONDS.toNanos(1);
        assertThat(quota.recordAndGetThrottleTimeMs(request(ApiKeys.API_VERSIONS, new ApiVersionsRequestData(), "busy"), aSecond, NOW)).isZero();
        FetchRequestData followerFetch = new FetchRequestData();
        followerFetch.replicaState().setReplicaId(2);
        assertThat(quota.recordAndGetThrottleTimeMs(request(ApiKeys.FETCH, followerFetch, "busy"), aSecond, NOW)).isZero();
        assertThat(quota.recordAndGetThrottleTimeMs(request(ApiKeys.METADATA, new MetadataRequestData(), "idle"), aSecond, NOW)).isZero();

        assertThat(quota.recordAndGetThrottleTimeMs(request(ApiKeys.METADATA, new MetadataRequestData(), "busy"), 0, NOW)).isZero();
    }

    @Test
    void shouldRaiseTheThrottleTimeOfAnyAnswerThatHasOne() {
        MetadataResponseData metadata = new MetadataResponseData().setThrottleTimeMs(300);

        ResponseThrottleTime.raise(ApiKeys.METADATA, metadata, 100);
        assertThat(ResponseThrottleTime.of(ApiKeys.METADATA, metadata)).isEqualTo(300);
        ResponseThrottleTime.raise(ApiKeys.METADATA, metadata, 700);
        assertThat(metadata.throttleTimeMs()).isEqualTo(700);

        SaslHandshakeResponseData noField = new SaslHandshakeResponseData();
        ResponseThrottleTime.raise(ApiKeys.SASL_HANDSHAKE, noField, 700);
        assertThat(ResponseThrottleTime.of(ApiKeys.SASL_HANDSHAKE, noField)).isZero();
    }
}
