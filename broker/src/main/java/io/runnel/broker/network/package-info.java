/**
 * The network layer: a Netty server that frames Kafka requests, hands each connection's requests to
 * the broker one at a time in arrival order, and writes responses back in that order, with fetched
 * segment bytes sent by zero copy. Event loop threads only parse and write; they never block.
 */
package io.runnel.broker.network;
