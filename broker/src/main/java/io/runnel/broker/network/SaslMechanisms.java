package io.runnel.broker.network;

import io.runnel.broker.config.SaslListenerConfig;
import java.security.NoSuchAlgorithmException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.security.sasl.SaslServer;
import org.apache.kafka.common.security.auth.AuthenticateCallbackHandler;
import org.apache.kafka.common.security.plain.internals.PlainSaslServer;
import org.apache.kafka.common.security.plain.internals.PlainServerCallbackHandler;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.apache.kafka.common.security.scram.internals.ScramSaslServer;

/**
 * The SASL mechanisms one listener serves, each with its callback handler configured once from the
 * listener's JAAS entry (kafka-clients' own: PLAIN checks the {@code user_<name>} options of
 * PlainLoginModule in constant time; SCRAM runs kafka-clients' ScramSaslServer over credentials from the
 * metadata log). Hands each connection a fresh {@link SaslServer}. Thread-safe:
 * the callback handlers only read their configuration.
 */
public final class SaslMechanisms {

    private final String listenerName;
    private final List<String> enabled;
    private final Map<String, AuthenticateCallbackHandler> callbackHandlers;

    private SaslMechanisms(String listenerName, List<String> enabled, Map<String, AuthenticateCallbackHandler> callbackHandlers) {
        this.listenerName = listenerName;
        this.enabled = enabled;
        this.callbackHandlers = callbackHandlers;
    }

    /**
     * The mechanisms of a SASL listener, as checked by {@link SaslListenerConfig}; SCRAM logins find their
     * credentials with {@code scramCredentials}.
     */
    public static SaslMechanisms of(SaslListenerConfig config, ScramCredentialLookup scramCredentials) {
        Map<String, AuthenticateCallbackHandler> handlers = new LinkedHashMap<>();
        for (String mechanism : config.mechanisms()) {
            AuthenticateCallbackHandler handler = callbackHandler(mechanism, scramCredentials);
            handler.configure(Map.of(), mechanism, config.jaasEntries().get(mechanism));
            handlers.put(mechanism, handler);
        }
        return new SaslMechanisms(config.listenerName(), config.mechanisms(), Map.copyOf(handlers));
    }

    private static AuthenticateCallbackHandler callbackHandler(String mechanism, ScramCredentialLookup scramCredentials) {
        if (PlainSaslServer.PLAIN_MECHANISM.equals(mechanism)) {
            return new PlainServerCallbackHandler();
        }
        if (ScramMechanism.isScram(mechanism)) {
            return new ScramCallbackHandler(ScramMechanism.forMechanismName(mechanism), scramCredentials);
        }
        throw new IllegalArgumentException("SASL mechanism " + mechanism + " is not served");
    }

    /** The listener these mechanisms belong to. */
    public String listenerName() {
        return listenerName;
    }

    /** The enabled mechanisms, in configuration order: what a SaslHandshake response lists. */
    public List<String> enabled() {
        return enabled;
    }

    /** True when a client may choose {@code mechanism}. */
    public boolean isEnabled(String mechanism) {
        return callbackHandlers.containsKey(mechanism);
    }

    /** A server for one authentication exchange with the enabled {@code mechanism}. */
    SaslServer newServer(String mechanism) {
        AuthenticateCallbackHandler handler = callbackHandlers.get(mechanism);
        if (handler == null) {
            throw new IllegalArgumentException("SASL mechanism " + mechanism + " is not enabled on listener " + listenerName);
        }
        if (!ScramMechanism.isScram(mechanism)) {
            return new PlainSaslServer(handler);
        }
        try {
            return new ScramSaslServer(ScramMechanism.forMechanismName(mechanism), Map.of(), handler);
        } catch (NoSuchAlgorithmException e) {
            // SHA-256 and SHA-512 are in every JDK.
            throw new IllegalStateException(e);
        }
    }
}
