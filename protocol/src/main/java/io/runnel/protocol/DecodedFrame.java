package io.runnel.protocol;

/** What a request frame turned out to be. */
public sealed interface DecodedFrame {

    /** A request Runnel serves, at a version it accepts. */
    record Request(KafkaRequest request) implements DecodedFrame { }

    /**
     * An ApiVersions request at a version newer than Runnel serves: answered at version 0 with
     * UNSUPPORTED_VERSION and the supported list, so the client can downgrade (KIP-511).
     */
    record UnsupportedApiVersions(int correlationId, short requestedVersion) implements DecodedFrame { }
}
