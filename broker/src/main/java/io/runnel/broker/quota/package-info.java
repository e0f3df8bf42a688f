/**
 * Client quotas enforced as Kafka's ClientQuotaManager enforces them: which quota applies to a user and
 * client id ({@link io.runnel.broker.quota.QuotaResolver}), the rates measured against it, and the
 * throttle times that mute a connection after its answer.
 */
package io.runnel.broker.quota;
