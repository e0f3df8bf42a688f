package io.runnel.broker.network;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.runnel.protocol.ApiVersionRange;
import io.runnel.protocol.KafkaRequest;
import io.runnel.protocol.RequestDecoder;
import io.runnel.protocol.ResponseEncoder;
import io.runnel.protocol.SupportedApis;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.MessageUtil;
import org.junit.jupiter.api.Test;

class ConnectionHandlerTest {

    private static final SupportedApis APIS = SupportedApis.of(Map.of(
            ApiKeys.METADATA, ApiVersionRange.of(0, 13), ApiKeys.API_VERSIONS, ApiVersionRange.of(0, 4)));

    private final List<KafkaRequest> started = new ArrayList<>();
    private final List<CompletableFuture<ApiMessage>> pending = new ArrayList<>();

    private EmbeddedChannel channel() {
        RequestHandler handler = request -> {
            started.add(request);
            CompletableFuture<ApiMessage> response = new CompletableFuture<>();
            pending.add(response);
            return response;
        };
        return new EmbeddedChannel(
                new LengthFieldBasedFrameDecoder(1024, 0, 4, 0, 4),
                new ConnectionHandler("PLAINTEXT", null, new RequestDecoder(APIS), new ResponseEncoder(UnpooledByteBufAllocator.DEFAULT),
                        APIS, handler, new InFlightRequests(), RequestListener.NONE));
    }

    @Test
    void shouldStartPipelinedRequestsOneAtATimeAndAnswerInOrder() {
        EmbeddedChannel channel = channel();
        channel.writeInbound(Unpooled.wrappedBuffer(frame(1), frame(2), frame(3)));

        assertThat(started).extracting(KafkaRequest::correlationId).containsExactly(1);
        pending.get(0).complete(new MetadataResponseData());
        channel.runPendingTasks();
        assertThat(started).extracting(KafkaRequest::correlationId).containsExactly(1, 2);
        pending.get(1).complete(new MetadataResponseData());
        channel.runPendingTasks();
        pending.get(2).complete(new MetadataResponseData());
        channel.runPendingTasks();

        assertThat(List.of(correlationId(channel.readOutbound()), correlationId(channel.readOutbound()), correlationId(channel.readOutbound())))
                .containsExactly(1, 2, 3);
    }

    @Test
    void shouldTagEachRequestWithTheListenerItArrivedOn() {
        EmbeddedChannel channel = channel();
        channel.writeInbound(Unpooled.wrappedBuffer(frame(1)));

        assertThat(started).extracting(KafkaRequest::listenerName).containsExactly("PLAINTEXT");
    }

    @Test
    void shouldSendNothingForARequestWithoutResponseAndGoOn() {
        EmbeddedChannel channel = channel();
        channel.writeInbound(Unpooled.wrappedBuffer(frame(1), frame(2)));

        pending.get(0).complete(null);
        channel.runPendingTasks();
        pending.get(1).complete(new MetadataResponseData());
        channel.runPendingTasks();

        assertThat(correlationId(channel.readOutbound())).isEqualTo(2);
        Object nothingMore = channel.readOutbound();
        assertThat(nothingMore).isNull();
    }

    @Test
    void shouldCloseTheConnectionWhenAskedTo() {
        EmbeddedChannel channel = channel();
        channel.writeInbound(Unpooled.wrappedBuffer(frame(1)));

        pending.get(0).completeExceptionally(new CloseConnectionException("acks=0 produce failed"));
        channel.runPendingTasks();

        assertThat(channel.isActive()).isFalse();
    }

    @Test
    void shouldCloseOnAnUnknownApiKey() {
        EmbeddedChannel channel = channel();
        ByteBuf frame = Unpooled.buffer().writeInt(10).writeShort(999).writeShort(0).writeInt(5).writeShort(-1);

        channel.writeInbound(frame);

        assertThat(channel.isActive()).isFalse();
        assertThat(started).isEmpty();
    }

    @Test
    void shouldCloseOnAFrameOverTheSizeCap() {
        EmbeddedChannel channel = channel();

        channel.writeInbound(Unpooled.buffer().writeInt(4096).writeZero(16));

        assertThat(channel.isActive()).isFalse();
    }

    @Test
    void shouldAnswerATooNewApiVersionsAtVersionZeroWithTheSupportedList() {
        EmbeddedChannel channel = channel();
        ByteBuf frame = Unpooled.buffer().writeInt(10).writeShort(ApiKeys.API_VERSIONS.id).writeShort(77).writeInt(9).writeShort(-1);

        channel.writeInbound(frame);

        ByteBuf response = channel.readOutbound();
        ByteBuffer body = response.nioBuffer();
        body.getInt();
        assertThat(body.getInt()).isEqualTo(9);
        ApiVersionsResponseData data = new ApiVersionsResponseData(new ByteBufferAccessor(body), (short) 0);
        assertThat(data.errorCode()).isEqualTo(Errors.UNSUPPORTED_VERSION.code());
        assertThat(data.apiKeys()).extracting(ApiVersionsResponseData.ApiVersion::apiKey).containsExactly(ApiKeys.API_VERSIONS.id);
        response.release();
    }

    @Test
    void shouldReleaseTheFrameAndCloseOnABodyThatKafkaClientsCannotRead() {
        EmbeddedChannel channel = channel();
        // Metadata v1: a topic array of one, whose name has length -5 (a non-nullable string).
        ByteBuf body = Unpooled.buffer().writeShort(ApiKeys.METADATA.id).writeShort(1).writeInt(3).writeShort(-1)
                .writeInt(1).writeShort(-5);
        ByteBuf inbound = Unpooled.buffer().writeInt(body.readableBytes()).writeBytes(body);

        channel.writeInbound(inbound);

        assertThat(channel.isActive()).isFalse();
        assertThat(inbound.refCnt()).isZero();
        assertThat(started).isEmpty();
    }

    @Test
    void shouldNotStartTheNextRequestUntilTheResponseHasBeenWritten() {
        HeldWrites held = new HeldWrites();
        EmbeddedChannel channel = channel();
        channel.pipeline().addFirst(held);
        channel.writeInbound(Unpooled.wrappedBuffer(frame(1), frame(2)));

        pending.get(0).complete(new MetadataResponseData());
        channel.runPendingTasks();
        assertThat(started).extracting(KafkaRequest::correlationId).containsExactly(1);

        held.release();
        channel.runPendingTasks();
        assertThat(started).extracting(KafkaRequest::correlationId).containsExactly(1, 2);
    }

    /** Keeps every write pending, as a socket whose peer stopped reading would. */
    private static final class HeldWrites extends ChannelOutboundHandlerAdapter {
        private final List<ChannelPromise> promises = new ArrayList<>();

        @Override
        public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
            ReferenceCountUtil.release(msg);
            promises.add(promise);
        }

        void release() {
            promises.forEach(ChannelPromise::setSuccess);
            promises.clear();
        }
    }

    private static ByteBuf frame(int correlationId) {
        RequestHeaderData header = new RequestHeaderData().setRequestApiKey(ApiKeys.METADATA.id)
                .setRequestApiVersion((short) 12).setCorrelationId(correlationId).setClientId("test");
        ByteBuffer headerBytes = MessageUtil.toByteBufferAccessor(header, ApiKeys.METADATA.requestHeaderVersion((short) 12)).buffer();
        ByteBuffer bodyBytes = MessageUtil.toByteBufferAccessor(new MetadataRequestData(), (short) 12).buffer();
        return Unpooled.buffer().writeInt(headerBytes.remaining() + bodyBytes.remaining()).writeBytes(headerBytes).writeBytes(bodyBytes);
    }

    private static int correlationId(Object message) {
        ByteBuf response = (ByteBuf) message;
        int id = response.getInt(4);
        response.release();
        return id;
    }
}
