package io.runnel.storage.producer;

/**
 * Proof that the transaction coordinator confirmed a transaction includes this partition (KIP-890).
 * The leader creates one when a producer without an open transaction here starts verification, and
 * forgets it as soon as any transactional batch or marker of that producer is appended. An append
 * that carries a guard no longer current is refused, so a verification answered before an abort can
 * never open a transaction the coordinator does not know about. Guards compare by identity.
 * Immutable; any thread.
 */
public final class VerificationGuard {
    /** "No verification was done": never matches any guard. */
    public static final VerificationGuard NONE = new VerificationGuard();

    VerificationGuard() {
    }

    /** Whether {@code requestGuard}, the guard an append carries, is this one (and not {@link #NONE}). */
    public boolean verify(VerificationGuard requestGuard) {
        return requestGuard != NONE && requestGuard == this;
    }

    @Override
    public String toString() {
        return this == NONE ? "VerificationGuard(NONE)" : "VerificationGuard@" + Integer.toHexString(System.identityHashCode(this));
    }
}
