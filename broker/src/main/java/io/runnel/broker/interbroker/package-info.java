/**
 * Connections from this broker to other brokers, in the clear or over TLS as the inter-broker listener
 * says ({@link io.runnel.broker.interbroker.BrokerTls}): replica fetchers and transaction marker senders use them.
 */
package io.runnel.broker.interbroker;
