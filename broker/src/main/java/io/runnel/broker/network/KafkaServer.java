package io.runnel.broker.network;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.runnel.broker.config.Listener;
import io.runnel.protocol.RequestDecoder;
import io.runnel.protocol.ResponseEncoder;
import io.runnel.protocol.SupportedApis;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka protocol server of every broker listener: accepts connections, frames requests (4-byte
 * big-endian length, capped at {@code socket.request.max.bytes}; a larger frame closes the connection,
 * as in Kafka) and gives each connection a {@link ConnectionHandler} that tags its requests with the
 * listener's name. An SSL or SASL_SSL listener puts Netty's TLS handler first in each connection's pipeline;
 * a SASL listener makes each connection authenticate before it serves more than ApiVersions. With
 * {@link #limitConnections} each listener takes connections within Kafka's limits and closes idle ones. All
 * listeners share one acceptor thread and one group of network threads. Uses the native epoll
 * transport when present, NIO otherwise. Started and closed by one thread.
 */
public final class KafkaServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaServer.class);
    /** The name of the frame decoder in each connection's pipeline. */
    static final String FRAMES = "frames";

    private final List<Listener> listeners;
    private final Map<String, ListenerTls> tlsByListener;
    private final int maxFrameBytes;
    private final int eventLoopThreads;
    private final SupportedApis supportedApis;
    private final RequestHandler handler;
    private final RequestListener requestListener;
    private final SaslListeners sasl;
    private volatile RequestThrottle throttle = RequestThrottle.NONE;
    private final InFlightRequests inFlight = new InFlightRequests();
    private final ChannelGroup connections = new DefaultChannelGroup("runnel-connections", GlobalEventExecutor.INSTANCE);
    private final List<Channel> serverChannels = new ArrayList<>();
    private EventLoopGroup acceptors;
    /** The connection limits and idle timeouts, or null for none. */
    private ConnectionQuotas quotas;
    private EventLoopGroup workers;

    /**
     * A server for the given listeners (at least one, distinct names), telling {@code requestListener}
     * about each request; nothing is bound until {@link #start()}.
     */
    public KafkaServer(List<Listener> listeners, int maxFrameBytes, int eventLoopThreads, SupportedApis supportedApis, RequestHandler handler,
                       RequestListener requestListener) {
        this(listeners, Map.of(), maxFrameBytes, eventLoopThreads, supportedApis, handler, requestListener, SaslListeners.NONE);
    }

    /** As below, with no SASL listener. */
    public KafkaServer(List<Listener> listeners, Map<String, ListenerTls> tlsByListener, int maxFrameBytes, int eventLoopThreads,
                       SupportedApis supportedApis, RequestHandler handler, RequestListener requestListener) {
        this(listeners, tlsByListener, maxFrameBytes, eventLoopThreads, supportedApis, handler, requestListener, SaslListeners.NONE);
    }

    /**
     * A server whose listeners named in {@code tlsByListener} serve TLS with that listener's engines
     * (SSL and SASL_SSL listeners) and whose listeners named in {@code sasl} authenticate their clients
     * before anything else is served (SASL_PLAINTEXT and SASL_SSL); the others are PLAINTEXT.
     * See {@link #KafkaServer(List, int, int, SupportedApis, RequestHandler, RequestListener)}.
     */
    public KafkaServer(List<Listener> listeners, Map<String, ListenerTls> tlsByListener, int maxFrameBytes, int eventLoopThreads,
                       SupportedApis supportedApis, RequestHandler handler, RequestListener requestListener, SaslListeners sasl) {
        this.tlsByListener = Map.copyOf(tlsByListener);
        if (listeners.isEmpty()) {
            throw new IllegalArgumentException("no listener to serve");
        }
        this.listeners = List.copyOf(listeners);
        this.maxFrameBytes = maxFrameBytes;
        this.eventLoopThreads = eventLoopThreads;
        this.supportedApis = supportedApis;
        this.handler = handler;
        this.requestListener = requestListener;
        this.sasl = sasl;
    }

    /** Makes connections accepted from now on mute themselves when {@code throttle} says a client went over a quota. */
    public KafkaServer throttling(RequestThrottle throttle) {
        this.throttle = throttle;
        return this;
    }

    /**
     * Holds each listener's connections to {@code quotas} ({@link AcceptGate}) and closes connections idle
     * longer than their listener's {@code connections.max.idle.ms}. Before {@link #start()}.
     *
     * @return this server
     */
    public KafkaServer limitConnections(ConnectionQuotas quotas) {
        this.quotas = quotas;
        return this;
    }

    /**
     * Binds every listener, in order, but accepts no connection before {@link #startAccepting()}:
     * the kernel queues them (backlog), as Kafka's acceptors do until the broker is ready.
     *
     * @return the bound port of each listener by name, in the order given (port 0 resolved to the one picked)
     * @throws IOException naming the listener that could not be bound; {@link #close()} releases those already bound
     */
    public Map<String, Integer> start() throws IOException, InterruptedException {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory ioHandlers = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        acceptors = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("runnel-acceptor", true), ioHandlers);
        workers = new MultiThreadIoEventLoopGroup(eventLoopThreads, new DefaultThreadFactory("runnel-network", true), ioHandlers);
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        RequestDecoder decoder = new RequestDecoder(supportedApis);
        ResponseEncoder encoder = new ResponseEncoder(ByteBufAllocator.DEFAULT);
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (Listener listener : listeners) {
            Channel channel = bind(bootstrap(channelType, listener.name(), decoder, encoder), listener);
            serverChannels.add(channel);
            ports.put(listener.name(), ((InetSocketAddress) channel.localAddress()).getPort());
            log.debug("Listener {} on {} ({} transport)", listener.name(), channel.localAddress(), epoll ? "epoll" : "nio");
        }
        return ports;
    }

    private ServerBootstrap bootstrap(Class<? extends ServerChannel> channelType, String listenerName, RequestDecoder decoder, ResponseEncoder encoder) {
        ServerBootstrap bootstrap = new ServerBootstrap();
        if (quotas != null) {
            bootstrap.handler(new AcceptGate(listenerName, quotas));
        }
        return bootstrap
                .group(acceptors, workers)
                .channel(channelType)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .option(ChannelOption.AUTO_READ, false)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        connections.add(channel);
                        closeWhenIdle(channel, listenerName);
                        ListenerTls tls = tlsByListener.get(listenerName);
                        if (tls != null) {
                            channel.pipeline()
                                    .addLast("tls", tls.newHandler(channel.remoteAddress(), channel.alloc()))
                                    .addLast("segment-chunks", new ChunkedWriteHandler());
                        }
                        SaslMechanisms mechanisms = sasl.byListener().get(listenerName);
                        SaslAuthenticator authenticator = mechanisms == null ? null : new SaslAuthenticator(mechanisms, sasl.maxReauthMs());
                        ConnectionHandler connection = new ConnectionHandler(listenerName, tls, decoder, encoder, supportedApis, handler, inFlight,
                                requestListener).throttledBy(throttle);
                        // Before authentication frames are capped far lower (Kafka's 512 KiB), so no stranger makes the broker allocate much.
                        int firstFrameCap = authenticator == null ? maxFrameBytes : sasl.maxReceiveBytes();
                        channel.pipeline()
                                .addLast(FRAMES, frameDecoder(firstFrameCap))
                                .addLast("requests", authenticator == null ? connection
                                        : connection.authenticating(authenticator, sasl.failedAuthenticationDelayMs(), frameDecoder(maxFrameBytes)));
                    }
                });
    }

    /** Kafka turns the idle timeout off when it is negative. */
    private void closeWhenIdle(SocketChannel channel, String listenerName) {
        long maxIdleMs = quotas == null ? -1 : quotas.limits().listener(listenerName).connectionsMaxIdleMs();
        if (maxIdleMs >= 0) {
            // Netty's 0 means never; Kafka's closes at once, so 1 ms is the nearest.
            channel.pipeline().addLast("idle", new IdleConnectionCloser(Math.max(maxIdleMs, 1)));
        }
    }

    /**
     * Splits the stream into frames whose size (after the 4-byte length, as Kafka counts it) is at most
     * {@code maxFrameBytes}. Fails fast: a larger length closes the connection when it is read, and the
     * bytes announced are skipped, never buffered.
     */
    private static LengthFieldBasedFrameDecoder frameDecoder(int maxFrameBytes) {
        // Netty's limit includes the length field itself.
        int limit = (int) Math.min(Integer.MAX_VALUE, (long) maxFrameBytes + Integer.BYTES);
        return new LengthFieldBasedFrameDecoder(limit, 0, 4, 0, 4, true);
    }

    private static Channel bind(ServerBootstrap bootstrap, Listener listener) throws IOException, InterruptedException {
        InetSocketAddress address = listener.host().isEmpty()
                ? new InetSocketAddress(listener.port())
                : new InetSocketAddress(listener.host(), listener.port());
        try {
            return bootstrap.bind(address).sync().channel();
        } catch (InterruptedException e) {
            throw e;
        } catch (Exception e) {
            // Netty reports bind failures as (sneakily thrown) native I/O exceptions.
            throw new IOException("cannot listen on " + listener.host() + ":" + listener.port() + " (listener " + listener.name() + "): "
                    + e.getMessage(), e);
        }
    }

    /** How many client connections are open now. Any thread. */
    public int connectionCount() {
        return connections.size();
    }

    /**
     * Starts taking the connections every listener has queued since it was bound. A broker calls it once
     * the controller has unfenced it: before that its metadata may be stale (a restarted leader still
     * sees itself leading and coordinating), and answers from it would send clients back in time.
     */
    public void startAccepting() {
        serverChannels.forEach(channel -> channel.config().setAutoRead(true));
    }

    /** Stops accepting connections on every listener; requests already taken are still answered. */
    public void stopAccepting() {
        serverChannels.forEach(channel -> channel.close().syncUninterruptibly());
    }

    /**
     * Starts no new request on any connection and stops reading, so the broker can drain. Requests
     * read but not started are never answered; their clients retry, as after any broker restart.
     */
    public void stopReading() {
        inFlight.startDraining();
        connections.forEach(channel -> channel.config().setAutoRead(false));
    }

    /** Waits, up to the timeout, for requests already taken to be answered. */
    public boolean awaitInFlight(long timeout, TimeUnit unit) throws InterruptedException {
        return inFlight.awaitDrained(timeout, unit);
    }

    /** Closes every connection and the event loops. */
    @Override
    public void close() {
        stopAccepting();
        connections.close().syncUninterruptibly();
        if (workers != null) {
            workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
            acceptors.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }
}
