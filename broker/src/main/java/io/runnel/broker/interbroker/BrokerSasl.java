package io.runnel.broker.interbroker;

import io.runnel.broker.config.SaslLogin;
import java.io.IOException;
import java.security.NoSuchAlgorithmException;
import java.util.Optional;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.CallbackHandler;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.PasswordCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.sasl.Sasl;
import javax.security.sasl.SaslClient;
import javax.security.sasl.SaslException;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.apache.kafka.common.security.scram.internals.ScramSaslClient;

/**
 * The SASL login of the connections this broker opens to others on a SASL_PLAINTEXT or SASL_SSL
 * inter-broker listener, as kafka-clients' SaslClientAuthenticator logs in: after ApiVersions, a
 * SaslHandshake naming {@code sasl.mechanism.inter.broker.protocol}, then SaslAuthenticate rounds
 * carrying the mechanism's tokens until the SASL client is complete. The tokens come from the JDK's
 * PLAIN client or kafka-clients' {@link ScramSaslClient}, with the broker's own credentials
 * ({@link SaslLogin}). A refusal is an {@link IOException}, so the caller retries as for a lost
 * connection. Immutable; any thread (each login uses its own SASL client).
 */
public final class BrokerSasl {

    /** No login: the inter-broker listener is PLAINTEXT or SSL. */
    public static final BrokerSasl NONE = new BrokerSasl(null);

    private static final byte[] EMPTY = new byte[0];
    private static final String SERVICE = "kafka";
    private static final short HIGHEST_HANDSHAKE = 1;
    private static final short HIGHEST_AUTHENTICATE = 2;

    private final SaslLogin login;

    private BrokerSasl(SaslLogin login) {
        this.login = login;
    }

    /** Logs in as {@code login} says, or not at all when it is empty. */
    public static BrokerSasl of(Optional<SaslLogin> login) {
        return login.map(BrokerSasl::new).orElse(NONE);
    }

    /**
     * Logs in on {@code connection}, a connection to {@code host} that has just exchanged ApiVersions
     * (or whose session is ending: the same steps re-authenticate it, KIP-368).
     *
     * @return the session lifetime the other broker granted in ms, 0 when it does not end (or no login is needed)
     * @throws IOException when the other broker refuses the mechanism or the credentials
     */
    long authenticate(BrokerConnection connection, String host) throws IOException {
        if (login == null) {
            return 0;
        }
        handshake(connection);
        SaslClient client = client(host);
        try {
            byte[] token = client.hasInitialResponse() ? client.evaluateChallenge(EMPTY) : EMPTY;
            while (true) {
                SaslAuthenticateResponseData answer = exchange(connection, token);
                if (client.isComplete()) {
                    return answer.sessionLifetimeMs();
                }
                token = client.evaluateChallenge(answer.authBytes());
                if (client.isComplete() && token == null) {
                    return answer.sessionLifetimeMs();
                }
            }
        } finally {
            client.dispose();
        }
    }

    private void handshake(BrokerConnection connection) throws IOException {
        short version = connection.version(ApiKeys.SASL_HANDSHAKE, HIGHEST_HANDSHAKE);
        SaslHandshakeResponseData answer = (SaslHandshakeResponseData) connection.send(ApiKeys.SASL_HANDSHAKE, version,
                new SaslHandshakeRequestData().setMechanism(login.mechanism()));
        if (answer.errorCode() != Errors.NONE.code()) {
            throw new IOException("SaslHandshake for " + login.mechanism() + " answered " + Errors.forCode(answer.errorCode())
                    + " (the other broker enables " + answer.mechanisms() + ")");
        }
    }

    private static SaslAuthenticateResponseData exchange(BrokerConnection connection, byte[] token) throws IOException {
        short version = connection.version(ApiKeys.SASL_AUTHENTICATE, HIGHEST_AUTHENTICATE);
        SaslAuthenticateResponseData answer = (SaslAuthenticateResponseData) connection.send(ApiKeys.SASL_AUTHENTICATE, version,
                new SaslAuthenticateRequestData().setAuthBytes(token));
        if (answer.errorCode() != Errors.NONE.code()) {
            throw new IOException("SaslAuthenticate answered " + Errors.forCode(answer.errorCode()) + ": " + answer.errorMessage());
        }
        return answer;
    }

    private SaslClient client(String host) throws SaslException {
        CallbackHandler credentials = this::supply;
        if ("PLAIN".equals(login.mechanism())) {
            SaslClient plain = Sasl.createSaslClient(new String[] {"PLAIN"}, null, SERVICE, host, null, credentials);
            if (plain == null) {
                throw new SaslException("No PLAIN SASL client in this JDK");
            }
            return plain;
        }
        try {
            return new ScramSaslClient(ScramMechanism.forMechanismName(login.mechanism()), credentials);
        } catch (NoSuchAlgorithmException e) {
            throw new SaslException("No " + login.mechanism() + " in this JDK", e);
        }
    }

    /** The broker's user and password, for the callbacks of the SASL clients (SCRAM's extensions are not supported). */
    private void supply(Callback[] callbacks) throws UnsupportedCallbackException {
        for (Callback callback : callbacks) {
            if (callback instanceof NameCallback name) {
                name.setName(login.username());
            } else if (callback instanceof PasswordCallback password) {
                password.setPassword(login.password().value().toCharArray());
            } else {
                throw new UnsupportedCallbackException(callback);
            }
        }
    }
}
