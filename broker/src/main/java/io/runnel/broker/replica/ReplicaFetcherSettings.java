package io.runnel.broker.replica;

import io.runnel.broker.interbroker.InterBrokerSecurity;
import io.runnel.metadata.BrokerEndpoint;
import java.util.Optional;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;

/**
 * How this broker's replica fetchers fetch, with Kafka's config names.
 *
 * @param localId this broker's id, sent as the replica id
 * @param brokerEpoch this broker's epoch now (KIP-903), sent with every fetch
 * @param clusterId the cluster id, sent so a leader of another cluster refuses the fetch
 * @param listenerName {@code inter.broker.listener.name}: the listener of the leaders fetched from
 * @param security the listener's TLS and SASL login, or {@link InterBrokerSecurity#PLAINTEXT}
 * @param endpoints the endpoint of a broker on that listener, from the metadata image
 * @param maxWaitMs {@code replica.fetch.wait.max.ms}
 * @param minBytes {@code replica.fetch.min.bytes}
 * @param partitionMaxBytes {@code replica.fetch.max.bytes}
 * @param responseMaxBytes {@code replica.fetch.response.max.bytes}
 * @param backoffMs {@code replica.fetch.backoff.ms}: the pause after a failed fetch
 * @param connectTimeoutMs how long connecting to a leader may take
 * @param socketTimeoutMs {@code replica.socket.timeout.ms}: how long an answer may take beyond the fetch's wait
 */
record ReplicaFetcherSettings(int localId, LongSupplier brokerEpoch, String clusterId, String listenerName, InterBrokerSecurity security,
                              IntFunction<Optional<BrokerEndpoint>> endpoints, int maxWaitMs, int minBytes, int partitionMaxBytes,
                              int responseMaxBytes, int backoffMs, int connectTimeoutMs, int socketTimeoutMs) { }
