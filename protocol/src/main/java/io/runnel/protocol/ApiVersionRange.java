package io.runnel.protocol;

/**
 * The versions of one API that Runnel advertises and the lowest one it actually accepts.
 *
 * <p>The two minimums differ only where Kafka's own quirks require it: Kafka advertises Produce from
 * version 0 (librdkafka infers features from that range, KAFKA-18659) while rejecting versions below 3.
 *
 * @param advertisedMin the minimum announced in ApiVersions
 * @param acceptedMin the minimum a request may carry
 * @param max the maximum announced and accepted
 */
public record ApiVersionRange(short advertisedMin, short acceptedMin, short max) {

    /** A range announced exactly as accepted. */
    public static ApiVersionRange of(int min, int max) {
        return new ApiVersionRange((short) min, (short) min, (short) max);
    }

    /** Whether a request of this version is served. */
    public boolean accepts(short version) {
        return version >= acceptedMin && version <= max;
    }
}
