package io.runnel.broker.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.runnel.protocol.KafkaRequest;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

class RequestMetersTest {

    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final RequestMeters meters = new RequestMeters(registry);

    @Test
    void shouldRecordLatencyPerApi() {
        meters.onCompleted(ApiKeys.PRODUCE, TimeUnit.MILLISECONDS.toNanos(3));
        meters.onCompleted(ApiKeys.PRODUCE, TimeUnit.MILLISECONDS.toNanos(5));
        meters.onCompleted(ApiKeys.FETCH, TimeUnit.MILLISECONDS.toNanos(500));

        assertThat(registry.get(RequestMeters.LATENCY).tag("api", "Produce").timer().count()).isEqualTo(2);
        assertThat(registry.get(RequestMeters.LATENCY).tag("api", "Produce").timer().totalTime(TimeUnit.MILLISECONDS)).isEqualTo(8);
        assertThat(registry.get(RequestMeters.LATENCY).tag("api", "Fetch").timer().count()).isEqualTo(1);
    }

    @Test
    void shouldCountEachPartitionErrorOfAProduceResponseAndIgnoreNone() {
        ProduceResponseData response = new ProduceResponseData();
        ProduceResponseData.TopicProduceResponse topic = new ProduceResponseData.TopicProduceResponse().setName("t");
        topic.partitionResponses().add(new ProduceResponseData.PartitionProduceResponse().setIndex(0));
        topic.partitionResponses().add(new ProduceResponseData.PartitionProduceResponse().setIndex(1)
                .setErrorCode(Errors.NOT_LEADER_OR_FOLLOWER.code()));
        topic.partitionResponses().add(new ProduceResponseData.PartitionProduceResponse().setIndex(2)
                .setErrorCode(Errors.NOT_LEADER_OR_FOLLOWER.code()));
        response.responses().add(topic);

        meters.onResponse(request(ApiKeys.PRODUCE, new ProduceRequestData()), response);

        assertThat(registry.get(RequestMeters.ERRORS).tags("api", "Produce", "error", "NOT_LEADER_OR_FOLLOWER").counter().count()).isEqualTo(2);
        assertThat(registry.find(RequestMeters.ERRORS).tag("error", "NONE").counter()).isNull();
    }

    @Test
    void shouldCountTopicErrorsOfOtherApisAsKafkaDoes() {
        CreateTopicsResponseData response = new CreateTopicsResponseData();
        response.topics().add(new CreateTopicsResponseData.CreatableTopicResult().setName("a").setErrorCode(Errors.TOPIC_ALREADY_EXISTS.code()));
        response.topics().add(new CreateTopicsResponseData.CreatableTopicResult().setName("b"));

        meters.onResponse(request(ApiKeys.CREATE_TOPICS, new org.apache.kafka.common.message.CreateTopicsRequestData()), response);

        assertThat(registry.get(RequestMeters.ERRORS).tags("api", "CreateTopics", "error", "TOPIC_ALREADY_EXISTS").counter().count()).isEqualTo(1);
    }

    @Test
    void shouldIgnoreRequestsWithoutResponseAndNeverThrow() {
        meters.onResponse(request(ApiKeys.PRODUCE, new ProduceRequestData()), null);
        // A response of the wrong type for its API: a bug elsewhere, but the metric must not fail the request.
        meters.onResponse(request(ApiKeys.PRODUCE, new ProduceRequestData()), new CreateTopicsResponseData());

        assertThat(registry.find(RequestMeters.ERRORS).counters()).isEmpty();
    }

    private static KafkaRequest request(ApiKeys apiKey, ApiMessage body) {
        return new KafkaRequest(new RequestHeaderData().setRequestApiKey(apiKey.id).setRequestApiVersion(apiKey.latestVersion()), apiKey, body);
    }
}
