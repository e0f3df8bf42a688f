/**
 * The network layer: a Netty server that frames Kafka requests, hands each connection's requests to
 * the broker one at a time in arrival order, and writes responses back in that order, with fetched
 * segment bytes sent by zero copy on PLAINTEXT listeners and as pooled chunks through TLS on SSL and SASL_SSL ones
 * ({@link io.runnel.broker.network.ListenerTls}, which also names each connection's principal from its
 * client certificate). Event loop threads only parse and write; they never block.
 */
package io.runnel.broker.network;
