package io.runnel.broker.network;

import io.runnel.protocol.ErrorResponses;
import io.runnel.protocol.KafkaRequest;
import java.util.concurrent.TimeUnit;
import javax.security.sasl.SaslException;
import javax.security.sasl.SaslServer;
import org.apache.kafka.common.errors.AuthenticationException;
import org.apache.kafka.common.errors.IllegalSaslStateException;
import org.apache.kafka.common.message.SaslAuthenticateRequestData;
import org.apache.kafka.common.message.SaslAuthenticateResponseData;
import org.apache.kafka.common.message.SaslHandshakeRequestData;
import org.apache.kafka.common.message.SaslHandshakeResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.security.auth.KafkaPrincipal;

/**
 * The server side of one connection's SASL exchange, as Kafka's SaslServerAuthenticator runs it:
 * ApiVersions (once) and SaslHandshake first; then the mechanism's tokens, in SaslAuthenticate requests
 * after a v1 handshake or as bare length-prefixed frames after a v0 one; nothing else until the
 * exchange completes; and again, on the same connection, when the client re-authenticates (KIP-368). It
 * decides; the connection does the I/O. Confined to the connection's event loop.
 */
final class SaslAuthenticator {

    /** What the connection does with the frame it just read. */
    sealed interface Step {
        /** Serve the request as any other (ApiVersions before the handshake). */
        record Serve() implements Step { }

        /** Send this reply; the exchange goes on. */
        record Answer(Reply reply) implements Step { }

        /** Send this reply: the client is now {@code principal}. */
        record Authenticated(Reply reply, KafkaPrincipal principal) implements Step { }

        /** Authentication failed: after the failed-authentication delay, send the reply (if any) and close. */
        record Fail(Reply reply, String reason) implements Step { }

        /** Close at once: the client broke the protocol (Kafka does the same, without a delay). */
        record Close(String reason) implements Step { }
    }

    /** What goes back to the client: a Kafka response to the request at hand, or a bare token (v0 handshake). */
    sealed interface Reply {
        /** A response to the request just read. */
        record Response(ApiMessage body) implements Reply { }

        /** A mechanism token, sent length-prefixed without a Kafka header. */
        record Token(byte[] bytes) implements Reply { }
    }

    private enum State { HANDSHAKE_OR_VERSIONS, HANDSHAKE, AUTHENTICATE, AUTHENTICATE_BARE, REAUTH_BAD_MECHANISM, COMPLETE, FAILED }

    /** Kafka's floor between two re-authentications of a connection, so a client cannot make the broker hash in a loop. */
    private static final long MIN_REAUTH_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final SaslMechanisms mechanisms;
    private final long maxReauthMs;
    private State state = State.HANDSHAKE_OR_VERSIONS;
    private SaslServer server;
    private String mechanism;
    private KafkaPrincipal principal;
    /** When the session ends (System.nanoTime), if {@code connections.max.reauth.ms} is set. */
    private long sessionExpiresNanos;
    private long lastReauthenticationNanos;
    /** Set while re-authenticating: the mechanism and principal that may not change (KIP-368). */
    private String previousMechanism;

    /**
     * @param maxReauthMs {@code connections.max.reauth.ms}: how long a session lasts before the client must
     *     re-authenticate on the same connection (KIP-368); 0 for sessions that never end
     */
    SaslAuthenticator(SaslMechanisms mechanisms, long maxReauthMs) {
        this.mechanisms = mechanisms;
        this.maxReauthMs = maxReauthMs;
    }

    /**
     * Starts a re-authentication (the client sent SaslHandshake after authenticating), as Kafka allows it:
     * only with sessions that end, and at most once a second. False: the handshake is served as any
     * request (ILLEGAL_SASL_STATE).
     */
    boolean beginReauthentication(long nowNanos) {
        if (state != State.COMPLETE || maxReauthMs <= 0
                || (lastReauthenticationNanos != 0 && nowNanos - lastReauthenticationNanos < MIN_REAUTH_INTERVAL_NANOS)) {
            return false;
        }
        lastReauthenticationNanos = nowNanos;
        previousMechanism = mechanism;
        state = State.HANDSHAKE;
        return true;
    }

    /** True when the session has ended and the client did not re-authenticate: Kafka closes such a connection. */
    boolean sessionExpired(long nowNanos) {
        return state == State.COMPLETE && maxReauthMs > 0 && nowNanos - sessionExpiresNanos >= 0;
    }

    /** True once the client has authenticated. */
    boolean complete() {
        return state == State.COMPLETE;
    }

    /** True when the next frame is a bare mechanism token (after a v0 handshake), not a Kafka request. */
    boolean expectsBareToken() {
        return state == State.AUTHENTICATE_BARE;
    }

    /**
     * Whether a request of this API may be parsed at all now. Kafka refuses others before parsing them,
     * so that no unauthenticated client reaches the more complex request schemas; see {@link #refuse}.
     */
    boolean parses(ApiKeys apiKey) {
        return switch (state) {
            case HANDSHAKE_OR_VERSIONS, HANDSHAKE -> apiKey == ApiKeys.API_VERSIONS || apiKey == ApiKeys.SASL_HANDSHAKE;
            case AUTHENTICATE, REAUTH_BAD_MECHANISM -> true;
            default -> false;
        };
    }

    /** The step for a request {@link #parses} refused: the connection closes (after the delay) without an answer. */
    Step refuse(ApiKeys apiKey) {
        return fail(null, "Unexpected Kafka request of type " + apiKey + " during SASL handshake.");
    }

    /** The step for a parsed request, while not {@link #complete()}. */
    Step onRequest(KafkaRequest request) {
        return switch (state) {
            case HANDSHAKE_OR_VERSIONS -> beforeHandshake(request, true);
            case HANDSHAKE -> beforeHandshake(request, false);
            case AUTHENTICATE -> authenticate(request);
            case REAUTH_BAD_MECHANISM -> fail(null, "SASL mechanism '" + mechanism + "' requested by client is not supported for "
                    + "re-authentication of mechanism '" + previousMechanism + "'");
            default -> new Step.Close("Unexpected " + request.apiKey() + " request in SASL state " + state);
        };
    }

    private Step beforeHandshake(KafkaRequest request, boolean versionsAllowed) {
        if (request.apiKey() == ApiKeys.SASL_HANDSHAKE) {
            return handshake(request);
        }
        if (request.apiKey() == ApiKeys.API_VERSIONS && versionsAllowed) {
            state = State.HANDSHAKE;
            return new Step.Serve();
        }
        if (request.apiKey() == ApiKeys.API_VERSIONS) {
            return new Step.Close("Unexpected ApiVersions request received during SASL authentication state HANDSHAKE_REQUEST");
        }
        return refuse(request.apiKey());
    }

    private Step handshake(KafkaRequest request) {
        String chosen = ((SaslHandshakeRequestData) request.body()).mechanism();
        SaslHandshakeResponseData response = new SaslHandshakeResponseData().setMechanisms(mechanisms.enabled());
        if (!mechanisms.isEnabled(chosen)) {
            return fail(response(response.setErrorCode(Errors.UNSUPPORTED_SASL_MECHANISM.code())), "Unsupported SASL mechanism " + chosen);
        }
        if (previousMechanism != null && !previousMechanism.equals(chosen)) {
            // As Kafka: the handshake succeeds and the first token fails.
            state = State.REAUTH_BAD_MECHANISM;
            mechanism = chosen;
            return new Step.Answer(response(response.setErrorCode(Errors.NONE.code())));
        }
        mechanism = chosen;
        server = mechanisms.newServer(chosen);
        // Version 0 predates SaslAuthenticate: its tokens follow as bare frames.
        state = request.apiVersion() >= 1 ? State.AUTHENTICATE : State.AUTHENTICATE_BARE;
        return new Step.Answer(response(response.setErrorCode(Errors.NONE.code())));
    }

    private Step authenticate(KafkaRequest request) {
        if (request.apiKey() != ApiKeys.SASL_AUTHENTICATE) {
            IllegalSaslStateException error = new IllegalSaslStateException("Unexpected Kafka request of type " + request.apiKey()
                    + " during SASL authentication.");
            return fail(response(ErrorResponses.forFailure(request, error)), error.getMessage());
        }
        byte[] token = ((SaslAuthenticateRequestData) request.body()).authBytes();
        try {
            byte[] challenge = server.evaluateResponse(token);
            SaslAuthenticateResponseData response = new SaslAuthenticateResponseData().setAuthBytes(challenge == null ? new byte[0] : challenge);
            if (!server.isComplete()) {
                return new Step.Answer(response(response));
            }
            // A client of v1+ re-authenticates before this lifetime ends; 0 tells it the session does not end.
            return authenticated(response(response.setSessionLifetimeMs(maxReauthMs)));
        } catch (AuthenticationException e) {
            return fail(response(failed(e.getMessage())), e.getMessage());
        } catch (SaslException e) {
            // As Kafka: the mechanism's own message may tell whether the user exists, so the client gets a generic one.
            String message = "Authentication failed during authentication due to invalid credentials with SASL mechanism " + mechanism;
            return fail(response(failed(message)), message + " (" + e.getMessage() + ")");
        }
    }

    /** The step for a bare token frame, after a v0 handshake. A failure closes without an answer, as in Kafka. */
    Step onBareToken(byte[] token) {
        try {
            byte[] challenge = server.evaluateResponse(token);
            Reply reply = challenge == null ? null : new Reply.Token(challenge);
            return server.isComplete() ? authenticated(reply) : new Step.Answer(reply);
        } catch (AuthenticationException | SaslException e) {
            return fail(null, e.getMessage());
        }
    }

    private Step authenticated(Reply reply) {
        KafkaPrincipal authenticated = new KafkaPrincipal(KafkaPrincipal.USER_TYPE, server.getAuthorizationID());
        if (previousMechanism != null && !authenticated.equals(principal)) {
            return fail(null, "Cannot change principals during re-authentication from " + principal.getPrincipalType() + "."
                    + principal.getName() + ": " + authenticated.getPrincipalType() + "." + authenticated.getName());
        }
        state = State.COMPLETE;
        principal = authenticated;
        previousMechanism = null;
        sessionExpiresNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxReauthMs);
        dispose();
        return new Step.Authenticated(reply, authenticated);
    }

    private Step fail(Reply reply, String reason) {
        state = State.FAILED;
        dispose();
        return new Step.Fail(reply, reason);
    }

    private void dispose() {
        if (server != null) {
            try {
                server.dispose();
            } catch (SaslException ignored) {
                // Nothing is held that the garbage collector does not free.
            }
        }
    }

    private static SaslAuthenticateResponseData failed(String message) {
        return new SaslAuthenticateResponseData().setErrorCode(Errors.SASL_AUTHENTICATION_FAILED.code()).setErrorMessage(message);
    }

    private static Reply response(ApiMessage body) {
        return new Reply.Response(body);
    }
}
