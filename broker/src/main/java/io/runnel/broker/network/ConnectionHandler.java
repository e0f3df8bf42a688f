package io.runnel.broker.network;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
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
import java.util.concurrent.TimeUnit;
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
    /** The SASL exchange on a SASL listener, until it completes; null on listeners that authenticate nobody. */
    private SaslAuthenticator authenticator;
    private int failedAuthenticationDelayMs;
    /** The frame decoder that replaces the pre-authentication one once the client has authenticated. */
    private ChannelHandler authenticatedFrames;
    /** Set when authentication failed: nothing more is served while the close waits for its delay. */
    private boolean authenticationFailed;
    private RequestThrottle throttle = RequestThrottle.NONE;
    /**
     * The mute the request being served earned (client quotas), decided on the thread that completed it and
     * read on the event loop after the hand-over to it, which orders the two; one request is served at a time.
     */
    private int pendingThrottleMs;

    /**
     * Makes this connection authenticate its client with SASL before serving anything but ApiVersions.
     *
     * @param authenticatedFrames the frame decoder to use once authenticated (the one in place caps frames lower)
     * @return this handler
     */
    ConnectionHandler authenticating(SaslAuthenticator authenticator, int failedAuthenticationDelayMs, ChannelHandler authenticatedFrames) {
        this.authenticator = authenticator;
        this.failedAuthenticationDelayMs = failedAuthenticationDelayMs;
        this.authenticatedFrames = authenticatedFrames;
        return this;
    }

    /** Makes this connection ask {@code throttle}, after each answer, whether to mute itself for a while (client quotas). */
    ConnectionHandler throttledBy(RequestThrottle throttle) {
        this.throttle = throttle;
        return this;
    }

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
        // Before authentication a frame is read in the state its turn finds the exchange in (a token or a request).
        DecodedFrame decoded = authenticated() ? decodeOrClose(frame) : null;
        if (decoded == null && authenticated()) {
            return;
        }
        queue.add(new QueuedFrame(frame, decoded, readNanos));
        // A stranger gets one frame held at a time, as Kafka reads one before authentication: 16 of 512 KiB each would be 8 MiB.
        if (queue.size() >= MAX_QUEUED || decoded == null) {
            ctx.channel().config().setAutoRead(false);
        }
        startNext();
    }

    private boolean authenticated() {
        return authenticator == null || authenticator.complete();
    }

    /** The frame's request, or null after releasing the frame and closing the connection when it is not one. */
    private DecodedFrame decodeOrClose(ByteBuf frame) {
        try {
            return decoder.decode(frame.nioBuffer());
        } catch (RuntimeException e) {
            frame.release();
            log.info("Closing connection from {}: {}", context.channel().remoteAddress(), e.getMessage());
            context.close();
            return null;
        }
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
        if (busy || authenticationFailed || queue.isEmpty() || !context.channel().isActive() || inFlight.isDraining()) {
            return;
        }
        QueuedFrame next = queue.poll();
        if (queue.size() < MAX_QUEUED / 2 && !context.channel().config().isAutoRead() && !authenticationFailed) {
            context.channel().config().setAutoRead(true);
        }
        busy = true;
        if (!authenticated()) {
            authenticate(next);
            return;
        }
        if (authenticator != null && sessionEnded(next)) {
            return;
        }
        if (next.decoded() == null) {
            DecodedFrame decoded = decodeOrClose(next.frame());
            if (decoded == null) {
                return;
            }
            next = new QueuedFrame(next.frame(), decoded, next.readNanos());
        }
        serve(next);
    }

    /**
     * KIP-368, as Kafka's SocketServer: a SaslHandshake may start a re-authentication; any other request
     * after the session's end closes the connection.
     *
     * @return true when the frame was taken (re-authentication) or the connection closed
     */
    private boolean sessionEnded(QueuedFrame next) {
        long now = System.nanoTime();
        ByteBuf frame = next.frame();
        boolean handshake = frame.readableBytes() >= Short.BYTES && frame.getShort(frame.readerIndex()) == ApiKeys.SASL_HANDSHAKE.id;
        if (handshake && authenticator.beginReauthentication(now)) {
            authenticate(next);
            return true;
        }
        if (authenticator.sessionExpired(now)) {
            frame.release();
            log.debug("Disconnecting {}: its SASL session expired without re-authentication", clientHost());
            context.close();
            return true;
        }
        return false;
    }

    /** Serves a decoded request the way every request is served, whoever sent it. */
    private void serve(QueuedFrame next) {
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
            int requestBytes = next.frame().readableBytes();
            handler.handle(request)
                    .thenApply(response -> encodeThrottled(request, response, requestBytes))
                    .whenComplete((parts, error) -> onEventLoop(next, request, parts, error));
        } catch (RuntimeException e) {
            complete(next, request, null, e);
        }
    }

    /**
     * Takes the next step of the SASL exchange with a frame read before authentication: a bare token, a
     * request the exchange allows (ApiVersions is served as usual), or one it refuses before parsing.
     */
    private void authenticate(QueuedFrame next) {
        ByteBuf frame = next.frame();
        if (authenticator.expectsBareToken()) {
            byte[] token = new byte[frame.readableBytes()];
            frame.readBytes(token);
            frame.release();
            apply(authenticator.onBareToken(token), null, next.readNanos());
            return;
        }
        ApiKeys apiKey = frame.readableBytes() >= Short.BYTES && ApiKeys.hasId(frame.getShort(frame.readerIndex()))
                ? ApiKeys.forId(frame.getShort(frame.readerIndex())) : null;
        if (apiKey == null || !authenticator.parses(apiKey)) {
            frame.release();
            apply(apiKey == null ? new SaslAuthenticator.Step.Fail(null, "the first packet is not a Kafka request (GSSAPI without a handshake is not served)")
                    : authenticator.refuse(apiKey), null, next.readNanos());
            return;
        }
        DecodedFrame decoded = decodeOrClose(frame);
        if (decoded instanceof DecodedFrame.Request parsed) {
            KafkaRequest request = parsed.request().from(clientHost(), listenerName, principal);
            SaslAuthenticator.Step step = authenticator.onRequest(request);
            if (step instanceof SaslAuthenticator.Step.Serve) {
                serve(new QueuedFrame(frame, decoded, next.readNanos()));
                return;
            }
            frame.release();
            apply(step, request, next.readNanos());
        } else if (decoded != null) {
            serve(new QueuedFrame(frame, decoded, next.readNanos()));
        }
    }

    private void apply(SaslAuthenticator.Step step, KafkaRequest request, long readNanos) {
        ApiKeys apiKey = request == null ? ApiKeys.SASL_AUTHENTICATE : request.apiKey();
        if (step instanceof SaslAuthenticator.Step.Answer answer) {
            respondOrContinue(encode(answer.reply(), request), apiKey, readNanos);
        } else if (step instanceof SaslAuthenticator.Step.Authenticated authenticated) {
            principal = authenticated.principal();
            if (context.pipeline().get(KafkaServer.FRAMES) != authenticatedFrames) {
                context.pipeline().replace(KafkaServer.FRAMES, KafkaServer.FRAMES, authenticatedFrames);
            }
            log.debug("{} authenticated as {} on listener {}", clientHost(), principal, listenerName);
            respondOrContinue(encode(authenticated.reply(), request), apiKey, readNanos);
        } else if (step instanceof SaslAuthenticator.Step.Fail fail) {
            failAuthentication(encode(fail.reply(), request), fail.reason());
        } else {
            log.info("Closing connection from {}: {}", context.channel().remoteAddress(), ((SaslAuthenticator.Step.Close) step).reason());
            context.close();
        }
    }

    private void respondOrContinue(List<ResponsePart> parts, ApiKeys apiKey, long readNanos) {
        if (parts == null) {
            finished();
        } else {
            respond(parts, apiKey, readNanos);
        }
    }

    /**
     * As Kafka: reads no more, waits {@code connection.failed.authentication.delay.ms} (so a client
     * guessing passwords guesses slowly), then sends the failure's answer, if any, and closes.
     */
    private void failAuthentication(List<ResponsePart> parts, String reason) {
        log.info("Failed authentication with {} ({})", clientHost(), reason);
        authenticationFailed = true;
        context.channel().config().setAutoRead(false);
        context.executor().schedule(() -> sendAndClose(parts), failedAuthenticationDelayMs, TimeUnit.MILLISECONDS);
    }

    private void sendAndClose(List<ResponsePart> parts) {
        if (parts == null || !context.channel().isActive()) {
            if (parts != null) {
                parts.forEach(ConnectionHandler::release);
            }
            context.close();
            return;
        }
        ChannelFuture last = null;
        for (ResponsePart part : parts) {
            last = context.write(((ResponsePart.Bytes) part).buffer());
        }
        context.flush();
        last.addListener(ChannelFutureListener.CLOSE);
    }

    /** The encoded reply to a SASL step, or null when there is none. */
    private List<ResponsePart> encode(SaslAuthenticator.Reply reply, KafkaRequest request) {
        if (reply instanceof SaslAuthenticator.Reply.Response response) {
            listener.onResponse(request, response.body());
            return encoder.encode(request.apiKey(), request.apiVersion(), request.correlationId(), response.body());
        }
        if (reply instanceof SaslAuthenticator.Reply.Token token) {
            ByteBuf buffer = context.alloc().buffer(Integer.BYTES + token.bytes().length);
            return List.of(new ResponsePart.Bytes(buffer.writeInt(token.bytes().length).writeBytes(token.bytes())));
        }
        return null;
    }

    private List<ResponsePart> encodeThrottled(KafkaRequest request, ApiMessage response, int requestBytes) {
        pendingThrottleMs = throttle.throttleMs(request, response, requestBytes);
        return encode(request, response);
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
                finishedOrMuted();
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
            finishedOrMuted();
        });
    }

    /**
     * Starts the next request, or, when the answer just sent was throttled, first mutes the connection for
     * the throttle time: as Kafka's SocketServer, nothing is read or served meanwhile.
     */
    private void finishedOrMuted() {
        int muteMs = pendingThrottleMs;
        pendingThrottleMs = 0;
        if (muteMs <= 0 || !context.channel().isActive()) {
            finished();
            return;
        }
        context.channel().config().setAutoRead(false);
        context.executor().schedule(this::unmute, muteMs, TimeUnit.MILLISECONDS);
    }

    private void unmute() {
        if (queue.size() < MAX_QUEUED && !authenticationFailed) {
            context.channel().config().setAutoRead(true);
        }
        finished();
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
        if (cause instanceof TooLongFrameException && !authenticated()) {
            // Kafka fails the authentication (with its delay) when a frame before it is over sasl.server.max.receive.size.
            failAuthentication(null, "Failing SASL authentication due to invalid receive size: " + cause.getMessage());
            return;
        }
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
