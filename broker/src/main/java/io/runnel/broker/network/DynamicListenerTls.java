package io.runnel.broker.network;

import io.runnel.broker.config.BrokerConfig;
import io.runnel.broker.config.InvalidConfigException;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The TLS listeners' stores following this node's dynamic configs, as Kafka reloads them: a change of
 * {@code listener.name.<l>.ssl.keystore.*} or {@code .ssl.truststore.*} (IncrementalAlterConfigs on this
 * broker) is checked before it is accepted ({@link #check}) and then applied to new connections
 * ({@link #apply}); setting a store's path again reloads the file if it changed on disk. Thread-safe.
 */
public final class DynamicListenerTls {

    private static final Logger log = LoggerFactory.getLogger(DynamicListenerTls.class);

    private final Map<String, ListenerTls> tlsByListener;

    /** Follows the listeners of {@code tlsByListener}, each by name. */
    public DynamicListenerTls(Map<String, ListenerTls> tlsByListener) {
        this.tlsByListener = Map.copyOf(tlsByListener);
    }

    /**
     * Checks that every TLS listener could serve with its stores in {@code config}.
     *
     * @throws InvalidConfigException naming the listener and what is wrong
     */
    public void check(BrokerConfig config) {
        tlsByListener.forEach((listener, tls) -> tls.validateReconfiguration(config.sslConfigs(listener).orElseThrow()));
    }

    /**
     * Serves new connections of every TLS listener with its stores in {@code config}. A store that no longer
     * loads (changed on disk since it was checked), or that OpenSSL cannot use, is reported and the listener
     * keeps serving new connections with its current context.
     */
    public void apply(BrokerConfig config) {
        tlsByListener.forEach((listener, tls) -> {
            try {
                tls.reconfigure(config.sslConfigs(listener).orElseThrow());
            } catch (InvalidConfigException e) {
                log.error("New connections keep the current TLS context: {}", e.getMessage());
            }
        });
    }
}
