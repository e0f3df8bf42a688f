/**
 * Connections from this broker to other brokers, in the clear or over TLS as the inter-broker listener
 * says ({@link io.runnel.broker.interbroker.InterBrokerSecurity}), logged in with SASL on a SASL listener
 * ({@link io.runnel.broker.interbroker.BrokerSasl}): replica fetchers and transaction marker senders use them.
 */
package io.runnel.broker.interbroker;
