package io.runnel.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Map;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.MessageSizeAccumulator;
import org.apache.kafka.common.protocol.ObjectSerializationCache;
import org.junit.jupiter.api.Test;

class RequestDecoderTest {

    private final RequestDecoder decoder = new RequestDecoder(SupportedApis.of(Map.of(
            ApiKeys.METADATA, ApiVersionRange.of(0, 13),
            ApiKeys.API_VERSIONS, ApiVersionRange.of(0, 4))));

    @Test
    void shouldDecodeHeaderAndBodyAtTheClientsVersion() {
        MetadataRequestData body = new MetadataRequestData().setTopics(null).setAllowAutoTopicCreation(false);
        DecodedFrame decoded = decoder.decode(frame(ApiKeys.METADATA, (short) 12, 42, body));

        assertThat(decoded).isInstanceOf(DecodedFrame.Request.class);
        KafkaRequest request = ((DecodedFrame.Request) decoded).request();
        assertThat(request.apiKey()).isEqualTo(ApiKeys.METADATA);
        assertThat(request.apiVersion()).isEqualTo((short) 12);
        assertThat(request.correlationId()).isEqualTo(42);
        assertThat(request.clientId()).isEqualTo("test-client");
        assertThat(request.body()).isEqualTo(body);
    }

    @Test
    void shouldAnswerTooNewApiVersionsWithADowngradeHint() {
        ByteBuffer frame = ByteBuffer.allocate(16);
        frame.putShort(ApiKeys.API_VERSIONS.id).putShort((short) 99).putInt(7).putShort((short) -1).flip();

        DecodedFrame decoded = decoder.decode(frame);

        assertThat(decoded).isEqualTo(new DecodedFrame.UnsupportedApiVersions(7, (short) 99));
    }

    @Test
    void shouldRefuseUnknownApiKey() {
        ByteBuffer frame = ByteBuffer.allocate(16);
        frame.putShort((short) 999).putShort((short) 0).putInt(1).putShort((short) -1).flip();

        assertThatThrownBy(() -> decoder.decode(frame)).isInstanceOf(MalformedRequestException.class).hasMessageContaining("999");
    }

    @Test
    void shouldRefuseUnsupportedVersionOfOtherApis() {
        ByteBuffer frame = frame(ApiKeys.METADATA, (short) 13, 1, new MetadataRequestData());
        frame.putShort(2, (short) 99);

        assertThatThrownBy(() -> decoder.decode(frame)).isInstanceOf(MalformedRequestException.class);
    }

    @Test
    void shouldRefuseTruncatedBody() {
        ByteBuffer frame = frame(ApiKeys.METADATA, (short) 9, 1, new MetadataRequestData().setTopics(java.util.List.of(
                new MetadataRequestData.MetadataRequestTopic().setName("some-topic"))));
        frame.limit(frame.limit() - 5);

        assertThatThrownBy(() -> decoder.decode(frame)).isInstanceOf(MalformedRequestException.class);
    }

    @Test
    void shouldRefuseFrameShorterThanAHeader() {
        assertThatThrownBy(() -> decoder.decode(ByteBuffer.wrap(new byte[] {0, 3, 0}))).isInstanceOf(MalformedRequestException.class);
    }

    static ByteBuffer frame(ApiKeys apiKey, short version, int correlationId, ApiMessage body) {
        RequestHeaderData header = new RequestHeaderData()
                .setRequestApiKey(apiKey.id).setRequestApiVersion(version)
                .setCorrelationId(correlationId).setClientId("test-client");
        short headerVersion = apiKey.requestHeaderVersion(version);
        ObjectSerializationCache cache = new ObjectSerializationCache();
        MessageSizeAccumulator size = new MessageSizeAccumulator();
        header.addSize(size, cache, headerVersion);
        body.addSize(size, cache, version);
        ByteBuffer buffer = ByteBuffer.allocate(size.totalSize());
        ByteBufferAccessor accessor = new ByteBufferAccessor(buffer);
        header.write(accessor, cache, headerVersion);
        body.write(accessor, cache, version);
        buffer.flip();
        return buffer;
    }
}
