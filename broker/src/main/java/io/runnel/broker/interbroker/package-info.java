/** Connections from this broker to other brokers: replica fetchers and transaction marker senders use them. */
package io.runnel.broker.interbroker;
