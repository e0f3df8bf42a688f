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
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import io.runnel.broker.config.Listener;
import io.runnel.protocol.RequestDecoder;
import io.runnel.protocol.ResponseEncoder;
import io.runnel.protocol.SupportedApis;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Kafka protocol listener: accepts connections, frames requests (4-byte big-endian length, capped
 * at {@code socket.request.max.bytes}; a larger frame closes the connection, as in Kafka) and gives
 * each connection a {@link ConnectionHandler}. Uses the native epoll transport when present, NIO
 * otherwise. Started and closed by one thread.
 */
public final class KafkaServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(KafkaServer.class);

    private final Listener listener;
    private final int maxFrameBytes;
    private final int eventLoopThreads;
    private final SupportedApis supportedApis;
    private final RequestHandler handler;
    private final RequestListener requestListener;
    private final InFlightRequests inFlight = new InFlightRequests();
    private final ChannelGroup connections = new DefaultChannelGroup("runnel-connections", GlobalEventExecutor.INSTANCE);
    private EventLoopGroup acceptors;
    private EventLoopGroup workers;
    private Channel serverChannel;

    /** A server for one listener, telling {@code requestListener} about each request; nothing is bound until {@link #start()}. */
    public KafkaServer(Listener listener, int maxFrameBytes, int eventLoopThreads, SupportedApis supportedApis, RequestHandler handler,
                       RequestListener requestListener) {
        this.listener = listener;
        this.maxFrameBytes = maxFrameBytes;
        this.eventLoopThreads = eventLoopThreads;
        this.supportedApis = supportedApis;
        this.handler = handler;
        this.requestListener = requestListener;
    }

    /** Binds the listener and returns the bound port. */
    public int start() throws InterruptedException {
        boolean epoll = Epoll.isAvailable();
        IoHandlerFactory ioHandlers = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        acceptors = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("runnel-acceptor", true), ioHandlers);
        workers = new MultiThreadIoEventLoopGroup(eventLoopThreads, new DefaultThreadFactory("runnel-network", true), ioHandlers);
        Class<? extends ServerChannel> channelType = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        RequestDecoder decoder = new RequestDecoder(supportedApis);
        ResponseEncoder encoder = new ResponseEncoder(ByteBufAllocator.DEFAULT);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptors, workers)
                .channel(channelType)
                .option(ChannelOption.SO_REUSEADDR, true)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        connections.add(channel);
                        channel.pipeline()
                                .addLast("frames", new LengthFieldBasedFrameDecoder(maxFrameBytes, 0, 4, 0, 4))
                                .addLast("requests", new ConnectionHandler(decoder, encoder, supportedApis, handler, inFlight, requestListener));
                    }
                });
        InetSocketAddress address = listener.host().isEmpty()
                ? new InetSocketAddress(listener.port())
                : new InetSocketAddress(listener.host(), listener.port());
        serverChannel = bootstrap.bind(address).sync().channel();
        int port = ((InetSocketAddress) serverChannel.localAddress()).getPort();
        log.debug("Listening on {} ({} transport)", serverChannel.localAddress(), epoll ? "epoll" : "nio");
        return port;
    }

    /** How many client connections are open now. Any thread. */
    public int connectionCount() {
        return connections.size();
    }

    /** Stops accepting connections; requests already taken are still answered. */
    public void stopAccepting() {
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
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
