package io.runnel.group;

/**
 * Who sent a coordinator request: what Kafka records about a member and what version rules apply.
 *
 * @param clientHost the client's address as Kafka prints it, e.g. "/127.0.0.1"
 */
public record GroupRequestContext(String clientId, String clientHost, short apiVersion) { }
