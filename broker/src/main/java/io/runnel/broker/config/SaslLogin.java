package io.runnel.broker.config;

import org.apache.kafka.common.config.types.Password;

/**
 * How this broker logs in to other brokers on a SASL inter-broker listener, as Kafka's brokers do:
 * {@code sasl.mechanism.inter.broker.protocol}, and the {@code username} and {@code password} options of
 * that mechanism's JAAS line on the listener (PlainLoginModule or ScramLoginModule). The password prints
 * as {@code [hidden]}. Immutable.
 *
 * @param mechanism PLAIN, SCRAM-SHA-256 or SCRAM-SHA-512
 * @param username  the broker's own user
 * @param password  its password
 */
public record SaslLogin(String mechanism, String username, Password password) {
}
