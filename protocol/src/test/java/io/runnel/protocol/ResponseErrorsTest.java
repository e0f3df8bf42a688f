package io.runnel.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumMap;
import java.util.Map;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

class ResponseErrorsTest {

    private final Map<Errors, Integer> counted = new EnumMap<>(Errors.class);

    private void count(ApiKeys apiKey, org.apache.kafka.common.protocol.ApiMessage response) {
        ResponseErrors.count(apiKey, apiKey.latestVersion(), response, (key, error, times) -> {
            assertThat(key).isEqualTo(apiKey);
            counted.merge(error, times, Integer::sum);
        });
    }

    @Test
    void shouldCountTheTopLevelAndEachPartitionErrorOfAFetch() {
        FetchResponseData response = new FetchResponseData();
        FetchResponseData.FetchableTopicResponse topic = new FetchResponseData.FetchableTopicResponse().setTopic("t");
        topic.partitions().add(new FetchResponseData.PartitionData().setPartitionIndex(0));
        topic.partitions().add(new FetchResponseData.PartitionData().setPartitionIndex(1).setErrorCode(Errors.OFFSET_OUT_OF_RANGE.code()));
        response.responses().add(topic);

        count(ApiKeys.FETCH, response);

        assertThat(counted).containsExactly(Map.entry(Errors.OFFSET_OUT_OF_RANGE, 1));
    }

    @Test
    void shouldCountThroughKafkasResponseClasses() {
        MetadataResponseData response = new MetadataResponseData();
        response.topics().add(new MetadataResponseData.MetadataResponseTopic().setName("x").setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code()));
        response.topics().add(new MetadataResponseData.MetadataResponseTopic().setName("y"));

        count(ApiKeys.METADATA, response);

        assertThat(counted).containsExactly(Map.entry(Errors.UNKNOWN_TOPIC_OR_PARTITION, 1));
    }

    @Test
    void shouldCountAnApiWithoutAWrapperByParsingItsEncodedForm() {
        DescribeConfigsResponseData response = new DescribeConfigsResponseData();
        response.results().add(new DescribeConfigsResponseData.DescribeConfigsResult().setResourceName("t")
                .setErrorCode(Errors.INVALID_REQUEST.code()));

        count(ApiKeys.DESCRIBE_CONFIGS, response);

        assertThat(counted).containsExactly(Map.entry(Errors.INVALID_REQUEST, 1));
    }
}
