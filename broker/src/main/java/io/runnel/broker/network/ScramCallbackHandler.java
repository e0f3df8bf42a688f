package io.runnel.broker.network;

import java.util.List;
import java.util.Map;
import javax.security.auth.callback.Callback;
import javax.security.auth.callback.NameCallback;
import javax.security.auth.callback.UnsupportedCallbackException;
import javax.security.auth.login.AppConfigurationEntry;
import org.apache.kafka.common.security.auth.AuthenticateCallbackHandler;
import org.apache.kafka.common.security.scram.ScramCredentialCallback;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;
import org.apache.kafka.common.security.token.delegation.internals.DelegationTokenCredentialCallback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers kafka-clients' ScramSaslServer with the user's credential from {@link ScramCredentialLookup}
 * (the metadata image), so a credential altered a moment ago is the one checked. Delegation tokens are not
 * served: a token login finds no owner and fails. Thread-safe: it keeps no state between calls.
 */
final class ScramCallbackHandler implements AuthenticateCallbackHandler {

    private static final Logger log = LoggerFactory.getLogger(ScramCallbackHandler.class);

    private final ScramMechanism mechanism;
    private final ScramCredentialLookup credentials;

    ScramCallbackHandler(ScramMechanism mechanism, ScramCredentialLookup credentials) {
        this.mechanism = mechanism;
        this.credentials = credentials;
    }

    @Override
    public void configure(Map<String, ?> configs, String saslMechanism, List<AppConfigurationEntry> jaasConfigEntries) {
        // The credentials come from the metadata log, not from the JAAS entry.
    }

    @Override
    public void handle(Callback[] callbacks) throws UnsupportedCallbackException {
        String user = null;
        for (Callback callback : callbacks) {
            if (callback instanceof NameCallback name) {
                user = name.getDefaultName();
            } else if (callback instanceof DelegationTokenCredentialCallback) {
                // Delegation tokens are not served: the token gets no owner, and ScramSaslServer refuses the login.
                log.debug("Refusing a delegation token login: tokens are not served");
            } else if (callback instanceof ScramCredentialCallback credential) {
                credential.scramCredential(user == null ? null : credentials.find(user, mechanism));
            } else {
                throw new UnsupportedCallbackException(callback);
            }
        }
    }

    @Override
    public void close() {
    }
}
