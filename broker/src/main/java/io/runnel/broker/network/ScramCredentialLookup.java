package io.runnel.broker.network;

import org.apache.kafka.common.security.scram.ScramCredential;
import org.apache.kafka.common.security.scram.internals.ScramMechanism;

/** Where SCRAM logins find users' credentials (the metadata image). Must be thread-safe and must not block. */
@FunctionalInterface
public interface ScramCredentialLookup {

    /** Finds no one: for listeners that serve no SCRAM mechanism. */
    ScramCredentialLookup NONE = (user, mechanism) -> null;

    /** The user's credential for the mechanism, or null when the user has none. */
    ScramCredential find(String user, ScramMechanism mechanism);
}
