package io.runnel.broker.network;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.handler.timeout.IdleStateHandler;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Closes a connection that has neither read nor written anything for {@code connections.max.idle.ms},
 * as Kafka's Selector closes the connections its IdleExpiryManager finds idle. First in the pipeline, so
 * bytes count as activity whether or not they make a whole frame (or a TLS record). Kafka clients close
 * their own idle connections first (their default is 9 minutes against the broker's 10) and reconnect
 * when they next need one. On the connection's event loop.
 */
final class IdleConnectionCloser extends IdleStateHandler {

    private static final Logger log = LoggerFactory.getLogger(IdleConnectionCloser.class);

    private final long maxIdleMs;

    IdleConnectionCloser(long maxIdleMs) {
        super(0, 0, maxIdleMs, TimeUnit.MILLISECONDS);
        this.maxIdleMs = maxIdleMs;
    }

    @Override
    protected void channelIdle(ChannelHandlerContext ctx, IdleStateEvent event) {
        log.debug("Closing connection from {}: idle for more than {} ms (connections.max.idle.ms)", ctx.channel().remoteAddress(), maxIdleMs);
        ctx.close();
    }
}
