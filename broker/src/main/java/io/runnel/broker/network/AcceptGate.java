package io.runnel.broker.network;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayDeque;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The door of one listener, in its server channel's pipeline: each connection accepted passes here
 * before it gets its own pipeline, and is held, let through or closed by {@link ConnectionQuotas}, as
 * Kafka's acceptor does. While a connection waits (for the creation rate's delay or for a free slot), the
 * listener accepts no more: further clients stay in the kernel's backlog, connected but unanswered, as on
 * Kafka. A connection from an address at its {@code max.connections.per.ip} is closed at once, one over its
 * address's connection_creation_rate quota after the throttle time; the Java client sees the broker
 * disconnect and retries after its reconnect back-off.
 *
 * <p>Confined to the listener's acceptor event loop, but for the slot watcher, which only posts to it.
 */
final class AcceptGate extends ChannelInboundHandlerAdapter {

    private static final Logger log = LoggerFactory.getLogger(AcceptGate.class);

    private final String listener;
    private final ConnectionQuotas quotas;
    /** Accepted connections not yet let through, oldest first. */
    private final ArrayDeque<Channel> waiting = new ArrayDeque<>();
    private ChannelHandlerContext context;
    /** Whether the oldest waiting connection has been counted in the creation rates already. */
    private boolean headRecorded;
    private long headDelayEndNanos;
    /** Whether this gate stopped the listener's accepting (and so must start it again). */
    private volatile boolean paused;

    AcceptGate(String listener, ConnectionQuotas quotas) {
        this.listener = listener;
        this.quotas = quotas;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        this.context = ctx;
        quotas.onSlotFreed(() -> {
            if (paused) {
                ctx.executor().execute(this::admitWaiting);
            }
        });
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        waiting.add((Channel) msg);
        admitWaiting();
    }

    private void admitWaiting() {
        while (!waiting.isEmpty()) {
            if (!headMayPass()) {
                pause();
                // A connection that closed between the look and the pause woke nobody: look once more, now paused.
                if (!headMayPass()) {
                    return;
                }
            }
            admit(waiting.poll());
            headRecorded = false;
        }
        resume();
    }

    /** Whether the oldest waiting connection has waited out its creation-rate delay and finds a free slot. */
    private boolean headMayPass() {
        if (!headRecorded) {
            headRecorded = true;
            long delayMs = quotas.recordCreation(listener, System.currentTimeMillis());
            headDelayEndNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(delayMs);
            if (delayMs > 0) {
                context.executor().schedule(this::admitWaiting, delayMs, TimeUnit.MILLISECONDS);
                return false;
            }
        }
        // A slot freed before the delay ended wakes this early: the delay still holds.
        return System.nanoTime() - headDelayEndNanos >= 0 && quotas.slotAvailable(listener);
    }

    private void admit(Channel connection) {
        InetAddress address = ((InetSocketAddress) connection.remoteAddress()).getAddress();
        long throttleMs = quotas.recordIpCreation(listener, address, System.currentTimeMillis());
        if (throttleMs > 0) {
            // Held open, unread, then closed, as Kafka's acceptor does, so the client does not reconnect at once.
            log.debug("Delaying closing of connection from {} for {} ms", address, throttleMs);
            context.executor().schedule(() -> connection.unsafe().closeForcibly(), throttleMs, TimeUnit.MILLISECONDS);
            return;
        }
        int refusedAt = quotas.open(listener, address);
        if (refusedAt >= 0) {
            log.info("Rejected connection from {}, address already has the configured maximum of {} connections.", address, refusedAt);
            connection.unsafe().closeForcibly();
            return;
        }
        connection.closeFuture().addListener(closed -> quotas.close(listener, address));
        context.fireChannelRead(connection);
    }

    private void pause() {
        if (!paused) {
            paused = true;
            context.channel().config().setAutoRead(false);
        }
    }

    private void resume() {
        if (paused) {
            paused = false;
            context.channel().config().setAutoRead(true);
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        waiting.forEach(connection -> connection.unsafe().closeForcibly());
        waiting.clear();
        ctx.fireChannelInactive();
    }
}
