package io.runnel.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumMap;
import java.util.Map;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnPartitionResult;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnResult;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.requests.AbstractResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

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

    @ParameterizedTest
    @EnumSource(names = {"ADD_PARTITIONS_TO_TXN", "ADD_OFFSETS_TO_TXN", "END_TXN", "TXN_OFFSET_COMMIT", "WRITE_TXN_MARKERS",
        "DESCRIBE_TRANSACTIONS", "LIST_TRANSACTIONS"})
    void shouldCountTheTransactionApisWithoutEncodingAndParsingTheirResponses(ApiKeys apiKey) {
        assertThat(ResponseErrors.countedWithoutParsing(apiKey)).isTrue();
    }

    @Test
    void shouldCountTheErrorOfAnEndTxn() {
        count(ApiKeys.END_TXN, new EndTxnResponseData().setErrorCode(Errors.PRODUCER_FENCED.code()));

        assertThat(counted).containsExactly(Map.entry(Errors.PRODUCER_FENCED, 1));
    }

    @Test
    void shouldCountAnAddPartitionsToTxnBatchAsKafkasParsedResponseDoes() {
        AddPartitionsToTxnResponseData response = new AddPartitionsToTxnResponseData();
        AddPartitionsToTxnTopicResult topic = new AddPartitionsToTxnTopicResult().setName("t");
        topic.resultsByPartition().add(new AddPartitionsToTxnPartitionResult().setPartitionIndex(0));
        topic.resultsByPartition().add(new AddPartitionsToTxnPartitionResult().setPartitionIndex(1)
                .setPartitionErrorCode(Errors.INVALID_TXN_STATE.code()));
        AddPartitionsToTxnResult result = new AddPartitionsToTxnResult().setTransactionalId("tx");
        result.topicResults().add(topic);
        response.resultsByTransaction().add(result);
        short version = ApiKeys.ADD_PARTITIONS_TO_TXN.latestVersion();
        Map<Errors, Integer> parsed = new EnumMap<>(AbstractResponse.parseResponse(ApiKeys.ADD_PARTITIONS_TO_TXN,
                MessageUtil.toByteBufferAccessor(response, version), version).errorCounts());
        parsed.remove(Errors.NONE);

        count(ApiKeys.ADD_PARTITIONS_TO_TXN, response);

        assertThat(counted).isEqualTo(parsed).containsExactly(Map.entry(Errors.INVALID_TXN_STATE, 1));
    }
}
