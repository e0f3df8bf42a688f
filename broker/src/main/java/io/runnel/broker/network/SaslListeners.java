package io.runnel.broker.network;

import java.util.Map;

/**
 * What the server needs to authenticate clients on its SASL listeners. Immutable.
 *
 * @param byListener the mechanisms of each SASL listener, by listener name; listeners not in it authenticate nobody
 * @param maxReceiveBytes the largest frame read before a client has authenticated ({@code sasl.server.max.receive.size})
 * @param failedAuthenticationDelayMs how long a failed login waits for its answer and the close
 *     ({@code connection.failed.authentication.delay.ms})
 * @param maxReauthMs how long a session lasts before the client must re-authenticate ({@code connections.max.reauth.ms}); 0: forever
 */
public record SaslListeners(Map<String, SaslMechanisms> byListener, int maxReceiveBytes, int failedAuthenticationDelayMs, long maxReauthMs) {

    /** No SASL listener. */
    public static final SaslListeners NONE = new SaslListeners(Map.of(), 524288, 100, 0);

    public SaslListeners {
        byListener = Map.copyOf(byListener);
    }
}
