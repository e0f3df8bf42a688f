package io.runnel.broker.network;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.ssl.NotSslRecordException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.runnel.protocol.ApiVersionRange;
import io.runnel.protocol.DecodedFrame;
import io.runnel.protocol.KafkaRequest;
import io.runnel.protocol.RequestDecoder;
import io.runnel.protocol.ResponseEncoder;
import io.runnel.protocol.ResponsePart;
import io.runnel.protocol.SupportedApis;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.ClosedChannelException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSession;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.security.auth.KafkaPrincipal;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection. Frames are decoded as they arrive (clients pipeline requests) and queued;
 * requests are handled one at a time in arrival order and each response is written before the next
 * request starts, so responses leave in request order and a producer's batches reach the log in the
 * order it sent them, exactly as Kafka does by muting the channel. All state is touched only on the
 * connection's event loop thread.
 */
final class ConnectionHandler extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(ConnectionHandler.class);
    /** Queued requests past which reading pauses; clients keep at most 5 in flight anyway. */
    private static final int MAX_QUEUED = 16;

    private final RequestDecoder decoder;
    private final ResponseEncoder encoder;
    private final SupportedApis supportedApis;
    private final RequestHandler handler;
    private final InFlightRequests inFlight;
    private final RequestListener listener;
    private final String listenerName;
    /** The listener's TLS, or null on a PLAINTEXT listener. */
    private final ListenerTls tls;
    private final ArrayDeque<QueuedFrame> queue = new ArrayDeque<>();
    private ChannelHandlerContext context;
    private boolean busy;

    ConnectionHandler(String listenerName, ListenerTls tls, RequestDecoder decoder, ResponseEncoder encoder, SupportedApis supportedApis,
                      RequestHandler handler, InFlightRequests inFlight, RequestListener listener) {
        this.listenerName = listenerName;
        this.tls = tls;
        this.decoder = decoder;
        this.listener = listener;
        this.encoder = encoder;
        this.supportedApis = supportedApis;
        this.handler = handler;
        this.inFlight = inFlight;
    }

    private String clientHost;
    /** Who is on the other end: {@code User:ANONYMOUS} until a listener that authenticates says otherwise. */
    private KafkaPrincipal principal = KafkaPrincipal.ANONYMOUS;

    /** A request read and waiting its turn; {@code readNanos} is when its frame was read, for the request latency. */
    private record QueuedFrame(ByteBuf frame, DecodedFrame decoded, long readNanos) { }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        this.context = ctx;
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf frame = (ByteBuf) msg;
        long readNanos = System.nanoTime();
        DecodedFrame decoded;
        try {
            decoded = decoder.decode(frame.nioBuffer());
        } catch (RuntimeException e) {
            frame.release();
            log.info("Closing connection from {}: {}", ctx.channel().remoteAddress(), e.getMessage());
            ctx.close();
            return;
        }
        queue.add(new QueuedFrame(frame, decoded, readNanos));
        if (queue.size() >= MAX_QUEUED) {
            ctx.channel().config().setAutoRead(false);
        }
        startNext();
    }

    /** The client's address as Kafka prints it in group descriptions: "/127.0.0.1". */
    private String clientHost() {
        if (clientHost == null) {
            clientHost = context.channel().remoteAddress() instanceof InetSocketAddress address && address.getAddress() != null
                    ? address.getAddress().toString() : String.valueOf(context.channel().remoteAddress());
        }
        return clientHost;
    }

    private void startNext() {
        if (busy || queue.isEmpty() || !context.channel().isActive() || inFlight.isDraining()) {
            return;
        }
        QueuedFrame next = queue.poll();
        if (queue.size() < MAX_QUEUED / 2 && !context.channel().config().isAutoRead()) {
            context.channel().config().setAutoRead(true);
        }
        busy = true;
        if (next.decoded() instanceof DecodedFrame.UnsupportedApiVersions unsupported) {
            next.frame().release();
            respond(encoder.encode(ApiKeys.API_VERSIONS, (short) 0, unsupported.correlationId(), unsupportedVersionsResponse()),
                    ApiKeys.API_VERSIONS, next.readNanos());
            return;
        }
        KafkaRequest request = ((DecodedFrame.Request) next.decoded()).request().from(clientHost(), listenerName, principal);
        inFlight.started();
        try {
            // Encoding runs on the thread that completed the request, so event loops only move bytes.
            handler.handle(request)
                    .thenApply(response -> encode(request, response))
                    .whenComplete((parts, error) -> onEventLoop(next, request, parts, error));
        } catch (RuntimeException e) {
            complete(next, request, null, e);
        }
    }

    private List<ResponsePart> encode(KafkaRequest request, ApiMessage response) {
        listener.onResponse(request, response);
        return response == null ? null : encoder.encode(request.apiKey(), request.apiVersion(), request.correlationId(), response);
    }

    private void onEventLoop(QueuedFrame queued, KafkaRequest request, List<ResponsePart> parts, Throwable error) {
        ByteBuf frame = queued.frame();
        try {
            context.executor().execute(() -> complete(queued, request, parts, error));
        } catch (RejectedExecutionException shuttingDown) {
            // The event loop is gone (broker stopping): nothing can be sent, but nothing may leak either.
            frame.release();
            if (parts != null) {
                parts.forEach(ConnectionHandler::release);
            }
            inFlight.finished();
        }
    }

    private void complete(QueuedFrame queued, KafkaRequest request, List<ResponsePart> parts, Throwable error) {
        boolean responding = false;
        try {
            Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
            if (cause instanceof CloseConnectionException) {
                log.debug("Closing connection from {}: {}", context.channel().remoteAddress(), cause.getMessage());
                context.close();
            } else if (cause != null) {
                log.error("Unexpected failure answering {} v{} from {}; closing the connection", request.apiKey(),
                        request.apiVersion(), context.channel().remoteAddress(), cause);
                context.close();
            } else if (parts != null && context.channel().isActive()) {
                respond(parts, request.apiKey(), queued.readNanos());
                responding = true;
            } else if (parts != null) {
                parts.forEach(ConnectionHandler::release);
            }
        } finally {
            queued.frame().release();
            inFlight.finished();
            if (!responding) {
                listener.onCompleted(request.apiKey(), System.nanoTime() - queued.readNanos());
                finished();
            }
        }
    }

    private static void release(ResponsePart part) {
        if (part instanceof ResponsePart.Bytes bytes) {
            bytes.buffer().release();
        }
    }

    private void finished() {
        busy = false;
        startNext();
    }

    /**
     * Writes a response and starts the next request only once it has left for the socket: a client
     * that stops reading stops being served (its requests queue, then reading pauses) instead of
     * piling responses up in broker memory. Kafka mutes such a channel the same way.
     */
    private void respond(List<ResponsePart> parts, ApiKeys apiKey, long readNanos) {
        ChannelFuture last = null;
        for (ResponsePart part : parts) {
            if (part instanceof ResponsePart.Bytes bytes) {
                last = context.write(bytes.buffer());
            } else {
                var range = ((ResponsePart.FileRange) part).records();
                // Zero copy where the bytes go to the socket as they are; through TLS they must be read into buffers.
                last = context.write(tls == null ? new SegmentFileRegion(range.channel(), range.position(), range.size())
                        : new SegmentChunks(range.channel(), range.position(), range.size()));
            }
        }
        context.flush();
        last.addListener(written -> {
            listener.onCompleted(apiKey, System.nanoTime() - readNanos);
            finished();
        });
    }

    /** As Kafka answers: the error, and the ApiVersions range alone, which is all a client needs to retry. */
    private ApiVersionsResponseData unsupportedVersionsResponse() {
        ApiVersionsResponseData response = new ApiVersionsResponseData().setErrorCode(Errors.UNSUPPORTED_VERSION.code());
        ApiVersionRange range = supportedApis.range(ApiKeys.API_VERSIONS).orElseThrow();
        response.apiKeys().add(new ApiVersionsResponseData.ApiVersion()
                .setApiKey(ApiKeys.API_VERSIONS.id).setMinVersion(range.advertisedMin()).setMaxVersion(range.max()));
        return response;
    }

    /**
     * A TLS handshake completes before the handler above the TLS layer sees any request, so every
     * request of the connection carries the certificate's principal.
     */
    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof SslHandshakeCompletionEvent handshake) {
            if (handshake.isSuccess()) {
                SSLSession session = ctx.pipeline().get(SslHandler.class).engine().getSession();
                principal = tls.principalOf(session, ((InetSocketAddress) ctx.channel().remoteAddress()).getAddress());
                log.debug("TLS connection from {} on {} is {}", ctx.channel().remoteAddress(), listenerName, principal);
            } else if (handshake.cause() instanceof ClosedChannelException) {
                // Closed before any handshake: an idle connection (the controller's ListenerWatch) at shutdown.
                log.debug("Connection from {} on {} closed before its TLS handshake", ctx.channel().remoteAddress(), listenerName);
            } else {
                log.info("Closing connection from {} on {}: TLS handshake failed: {}", ctx.channel().remoteAddress(), listenerName,
                        handshake.cause().getMessage());
            }
        }
        ctx.fireUserEventTriggered(event);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        QueuedFrame queued;
        while ((queued = queue.poll()) != null) {
            queued.frame().release();
        }
        ctx.fireChannelInactive();
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TooLongFrameException || cause instanceof CorruptedFrameException) {
            log.info("Closing connection from {}: {}", ctx.channel().remoteAddress(), cause.getMessage());
        } else if (cause instanceof IOException || cause instanceof NotSslRecordException || cause.getCause() instanceof SSLException) {
            // A failed TLS handshake was logged when it was reported (userEventTriggered).
            log.debug("Connection from {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        } else {
            log.warn("Closing connection from {} after an unexpected error", ctx.channel().remoteAddress(), cause);
        }
        ctx.close();
    }
}
