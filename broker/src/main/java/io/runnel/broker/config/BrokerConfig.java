package io.runnel.broker.config;

import static org.apache.kafka.common.config.ConfigDef.Importance.HIGH;
import static org.apache.kafka.common.config.ConfigDef.Importance.LOW;
import static org.apache.kafka.common.config.ConfigDef.Importance.MEDIUM;
import static org.apache.kafka.common.config.ConfigDef.Type.BOOLEAN;
import static org.apache.kafka.common.config.ConfigDef.Type.DOUBLE;
import static org.apache.kafka.common.config.ConfigDef.Type.INT;
import static org.apache.kafka.common.config.ConfigDef.Type.LIST;
import static org.apache.kafka.common.config.ConfigDef.Type.LONG;
import static org.apache.kafka.common.config.ConfigDef.Type.PASSWORD;
import static org.apache.kafka.common.config.ConfigDef.Type.SHORT;
import static org.apache.kafka.common.config.ConfigDef.Type.STRING;

import io.runnel.broker.acl.AuthorizerConfig;
import io.runnel.group.ConsumerGroupMigrationPolicy;
import io.runnel.group.GroupConfig;
import io.runnel.storage.cleaner.CleanerConfig;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.config.types.Password;

/**
 * The broker's configuration: Kafka's key names and defaults, parsed and validated by kafka-clients'
 * {@link ConfigDef} so values are read (and refused) exactly as Kafka reads them. Immutable.
 */
public final class BrokerConfig {

    /**
     * Internal switch, off by default: serves the transaction coordinator and its APIs
     * (FindCoordinator for transactions, InitProducerId with a transactional id, AddPartitionsToTxn,
     * AddOffsetsToTxn, EndTxn, DescribeTransactions, ListTransactions) while the rest of transactions
     * (markers, transactional produce) is still missing. Tests turn it on.
     */
    public static final String TRANSACTIONS_ENABLE = "runnel.transactions.enable";
    /** A TLS listener's engine: {@code jdk} (the JDK's, as Kafka) or {@code openssl} (BoringSSL from netty-tcnative); listener-prefixable as ssl.* keys. */
    public static final String SSL_PROVIDER = "runnel.ssl.provider";
    /** The mechanism brokers log in to each other with on a SASL inter-broker listener (Kafka's key). */
    private static final String INTER_BROKER_SASL_MECHANISM = "sasl.mechanism.inter.broker.protocol";

    private static final ConfigDef DEFINITION = ConnectionLimits.define(ListenerSslConfig.define(new ConfigDef()
            .define("node.id", INT, 1, ConfigDef.Range.atLeast(0), HIGH, "The id of this broker.")
            .define("listeners", STRING, "PLAINTEXT://localhost:9092", HIGH, "Where the broker listens.")
            .define("advertised.listeners", STRING, null, HIGH, "Where clients are told to connect; defaults to listeners.")
            .define("listener.security.protocol.map", STRING, null, LOW, "Security protocol of each listener name.")
            .define("log.dirs", STRING, null, HIGH, "Comma-separated data directories; overrides log.dir.")
            .define("log.dir", STRING, "./data", HIGH, "The data directory, when log.dirs is not set.")
            .define("num.partitions", INT, 1, ConfigDef.Range.atLeast(1), MEDIUM, "Partitions of an auto-created topic.")
            .define("default.replication.factor", INT, 1, ConfigDef.Range.atLeast(1), MEDIUM, "Replication factor of auto-created topics.")
            .define("min.insync.replicas", INT, 1, ConfigDef.Range.atLeast(1), MEDIUM, "Replicas that must acknowledge an acks=all write.")
            .define("unclean.leader.election.enable", BOOLEAN, false, HIGH,
                    "Elect a replica outside the in-sync and eligible ones when none of those is alive, losing the records only they had.")
            .define("auto.leader.rebalance.enable", BOOLEAN, true, HIGH,
                    "Let the active controller move leadership back to preferred replicas that are in sync.")
            .define("leader.imbalance.check.interval.seconds", LONG, 300L, ConfigDef.Range.atLeast(1), HIGH,
                    "How often the controller checks for leaders away from their preferred replicas.")
            .define("leader.imbalance.per.broker.percentage", INT, 10, ConfigDef.Range.atLeast(0), HIGH,
                    "The share of a broker's preferred partitions led elsewhere above which they are moved back.")
            .define("auto.create.topics.enable", BOOLEAN, true, MEDIUM, "Create a topic when a client asks for its metadata.")
            .define("delete.topic.enable", BOOLEAN, true, MEDIUM, "Whether topics may be deleted.")
            .define("authorizer.class.name", STRING, "", LOW,
                    "Empty: no authorization; " + AuthorizerConfig.STANDARD_AUTHORIZER + ": ACLs kept in the metadata log.")
            .define("super.users", STRING, "", LOW, "Principals (Type:name, separated by semicolons) that may do anything.")
            .define("allow.everyone.if.no.acl.found", BOOLEAN, false, LOW, "Whether a resource no ACL names is open to everyone.")
            .define("message.max.bytes", INT, 1048588, ConfigDef.Range.atLeast(0), HIGH, "Largest record batch accepted.")
            .define("socket.request.max.bytes", INT, 104857600, ConfigDef.Range.atLeast(1), HIGH, "Largest request frame accepted.")
            .define(SaslListenerConfig.ENABLED_MECHANISMS, LIST, "GSSAPI", MEDIUM,
                    "SASL mechanisms of SASL listeners (Kafka's default GSSAPI is not served: set PLAIN); listener.name.<l>. prefix wins.")
            .define(INTER_BROKER_SASL_MECHANISM, STRING, "GSSAPI", MEDIUM,
                    "SASL mechanism brokers log in with to each other on a SASL inter-broker listener (GSSAPI is not served: set PLAIN or SCRAM-SHA-256/512).")
            .define("sasl.server.max.receive.size", INT, 524288, ConfigDef.Range.atLeast(1), LOW,
                    "Largest frame a SASL listener reads before the client has authenticated.")
            .define("connections.max.reauth.ms", LONG, 0L, ConfigDef.Range.atLeast(0), MEDIUM,
                    "How long a SASL session lasts before the client must re-authenticate on its connection (KIP-368); 0: forever.")
            .define("connection.failed.authentication.delay.ms", INT, 100, ConfigDef.Range.atLeast(0), LOW,
                    "How long a connection that failed to authenticate waits before its answer is sent and it is closed.")
            .define("num.io.threads", INT, 8, ConfigDef.Range.atLeast(1), MEDIUM, "Threads that handle requests.")
            .define("num.network.threads", INT, 3, ConfigDef.Range.atLeast(1), MEDIUM, "Netty event loop threads.")
            .define("log.segment.bytes", INT, 1073741824, ConfigDef.Range.atLeast(1048576), HIGH, "Segment size before a roll (at least 1 MiB, as in Kafka 4).")
            .define("log.roll.ms", LONG, null, MEDIUM, "Segment age before a roll (overrides log.roll.hours).")
            .define("log.roll.hours", INT, 168, ConfigDef.Range.atLeast(1), MEDIUM, "Segment age before a roll.")
            .define("log.retention.ms", LONG, null, HIGH, "How long records are kept (-1: forever).")
            .define("log.retention.minutes", INT, null, HIGH, "How long records are kept, in minutes.")
            .define("log.retention.hours", INT, 168, HIGH, "How long records are kept, in hours.")
            .define("log.retention.bytes", LONG, -1L, HIGH, "Bytes kept per partition (-1: no limit).")
            .define("log.retention.check.interval.ms", LONG, 300000L, ConfigDef.Range.atLeast(1), MEDIUM, "How often retention runs.")
            .define("log.index.interval.bytes", INT, 4096, ConfigDef.Range.atLeast(0), MEDIUM, "Bytes between offset index entries.")
            .define("log.index.size.max.bytes", INT, 10485760, ConfigDef.Range.atLeast(4), MEDIUM, "Largest offset index file.")
            .define("log.message.timestamp.type", STRING, "CreateTime", ConfigDef.ValidString.in("CreateTime", "LogAppendTime"), MEDIUM,
                    "Whether record timestamps are the producer's or the broker's.")
            .define("log.message.timestamp.before.max.ms", LONG, Long.MAX_VALUE, ConfigDef.Range.atLeast(0), MEDIUM,
                    "How far in the past a CreateTime timestamp may be.")
            .define("log.message.timestamp.after.max.ms", LONG, 3600000L, ConfigDef.Range.atLeast(0), MEDIUM,
                    "How far in the future a CreateTime timestamp may be.")
            .define("log.flush.interval.messages", LONG, Long.MAX_VALUE, ConfigDef.Range.atLeast(1), HIGH, "Records between fsyncs.")
            .define("log.flush.interval.ms", LONG, null, HIGH, "Milliseconds between fsyncs.")
            .define("log.flush.scheduler.interval.ms", LONG, Long.MAX_VALUE, LOW, "How often the flusher checks.")
            .define("log.flush.offset.checkpoint.interval.ms", INT, 60000, ConfigDef.Range.atLeast(0), LOW, "How often recovery points are saved.")
            .define("log.segment.delete.delay.ms", LONG, 60000L, ConfigDef.Range.atLeast(0), LOW, "Delay before a deleted segment's file is removed.")
            .define("log.cleanup.policy", LIST, "delete", ConfigDef.ValidList.in("delete", "compact"), MEDIUM,
                    "Default cleanup.policy of topics: delete old segments, compact (keep the latest record per key), or both.")
            .define("log.cleaner.enable", BOOLEAN, true, MEDIUM, "Run the log cleaner, which compacts topics whose cleanup.policy has compact.")
            .define("log.cleaner.threads", INT, 1, ConfigDef.Range.atLeast(1), MEDIUM, "Log cleaner threads.")
            .define("log.cleaner.backoff.ms", LONG, 15000L, ConfigDef.Range.atLeast(0), MEDIUM,
                    "How long a cleaner thread sleeps when no log needs cleaning.")
            .define("log.cleaner.dedupe.buffer.size", LONG, 134217728L, ConfigDef.Range.atLeast(1), MEDIUM,
                    "Memory for the key-to-offset maps of all cleaner threads.")
            .define("log.cleaner.io.buffer.size", INT, 524288, ConfigDef.Range.atLeast(0), MEDIUM,
                    "Memory for the read and write buffers of all cleaner threads.")
            .define("log.cleaner.io.buffer.load.factor", DOUBLE, 0.9, MEDIUM, "How full a cleaner key map may get.")
            .define("log.cleaner.min.cleanable.ratio", DOUBLE, 0.5, ConfigDef.Range.between(0, 1), MEDIUM,
                    "Default min.cleanable.dirty.ratio of topics.")
            .define("log.cleaner.delete.retention.ms", LONG, 86400000L, ConfigDef.Range.atLeast(0), MEDIUM,
                    "Default delete.retention.ms of topics.")
            .define("log.cleaner.min.compaction.lag.ms", LONG, 0L, ConfigDef.Range.atLeast(0), MEDIUM,
                    "Default min.compaction.lag.ms of topics.")
            .define("log.cleaner.max.compaction.lag.ms", LONG, Long.MAX_VALUE, ConfigDef.Range.atLeast(1), MEDIUM,
                    "Default max.compaction.lag.ms of topics.")
            .define("producer.id.expiration.ms", LONG, 86400000L, ConfigDef.Range.atLeast(1), LOW,
                    "How long a partition remembers an idle idempotent producer.")
            .define("fetch.max.bytes", INT, 57671680, ConfigDef.Range.atLeast(1024), MEDIUM, "Largest fetch response.")
            .define("quota.window.num", INT, 11, ConfigDef.Range.atLeast(1), LOW,
                    "The number of samples a client quota's rate is measured over.")
            .define("quota.window.size.seconds", INT, 1, ConfigDef.Range.atLeast(1), LOW,
                    "The time span of each sample of a client quota's rate.")
            .define("controller.quota.window.num", INT, 11, ConfigDef.Range.atLeast(1), LOW,
                    "The number of samples of the controller mutation quota: with the rate, it sizes the burst a client may take at once.")
            .define("controller.quota.window.size.seconds", INT, 1, ConfigDef.Range.atLeast(1), LOW,
                    "The time span of each sample of the controller mutation quota.")
            .define("request.timeout.ms", INT, 30000, ConfigDef.Range.atLeast(0), MEDIUM,
                    "How long a transaction marker waits to be replicated before WriteTxnMarkers answers REQUEST_TIMED_OUT.")
            .define("max.request.partition.size.limit", INT, 2000, ConfigDef.Range.atLeast(1), LOW,
                    "Most partitions one DescribeTopicPartitions response describes; the client pages through the rest.")
            .define("replica.fetch.wait.max.ms", INT, 500, ConfigDef.Range.atLeast(0), MEDIUM,
                    "Longest time a follower's fetch waits at the leader for new records.")
            .define("replica.fetch.min.bytes", INT, 1, ConfigDef.Range.atLeast(1), MEDIUM, "Bytes a follower's fetch waits for.")
            .define("replica.fetch.max.bytes", INT, 1048576, ConfigDef.Range.atLeast(0), MEDIUM,
                    "Bytes a follower fetches per partition at most (a larger first batch is still fetched whole).")
            .define("replica.fetch.response.max.bytes", INT, 10485760, ConfigDef.Range.atLeast(0), MEDIUM,
                    "Bytes of one follower fetch response at most.")
            .define("replica.fetch.backoff.ms", INT, 1000, ConfigDef.Range.atLeast(0), MEDIUM, "Pause after a failed follower fetch.")
            .define("replica.socket.timeout.ms", INT, 30000, ConfigDef.Range.atLeast(1), MEDIUM,
                    "How long a follower waits for the leader's answer beyond the fetch's wait.")
            .define("replica.lag.time.max.ms", LONG, 30000L, ConfigDef.Range.atLeast(1), HIGH,
                    "A follower that has not caught up with the leader for this long leaves the ISR.")
            .define("offsets.topic.replication.factor", SHORT, (short) 3, ConfigDef.Range.atLeast(1), HIGH,
                    "Replication factor of __consumer_offsets (a node alone uses 1 unless this is set).")
            .define("offsets.topic.num.partitions", INT, 50, ConfigDef.Range.atLeast(1), HIGH, "Partitions of __consumer_offsets.")
            .define("offsets.topic.segment.bytes", INT, 104857600, ConfigDef.Range.atLeast(1), HIGH, "Segment size of __consumer_offsets.")
            .define("transaction.state.log.num.partitions", INT, 50, ConfigDef.Range.atLeast(1), HIGH, "Partitions of __transaction_state.")
            .define("transaction.state.log.replication.factor", SHORT, (short) 3, ConfigDef.Range.atLeast(1), HIGH,
                    "Replication factor of __transaction_state (a node alone uses 1 unless this is set).")
            .define("transaction.state.log.min.isr", INT, 2, ConfigDef.Range.atLeast(1), HIGH,
                    "min.insync.replicas of __transaction_state (a node alone uses 1 unless this is set).")
            .define("transaction.state.log.segment.bytes", INT, 104857600, ConfigDef.Range.atLeast(1), HIGH, "Segment size of __transaction_state.")
            .define("transaction.state.log.load.buffer.size", INT, 5242880, ConfigDef.Range.atLeast(1), LOW,
                    "Bytes read at a time while loading __transaction_state (accepted for compatibility).")
            .define("transaction.max.timeout.ms", INT, 900000, ConfigDef.Range.atLeast(1), HIGH, "Longest transaction timeout a producer may ask for.")
            .define("transactional.id.expiration.ms", INT, 604800000, ConfigDef.Range.atLeast(1), HIGH,
                    "How long an idle transactional id is kept.")
            .define("transaction.abort.timed.out.transaction.cleanup.interval.ms", INT, 10000, ConfigDef.Range.atLeast(1), LOW,
                    "How often timed-out transactions are aborted.")
            .define("transaction.remove.expired.transaction.cleanup.interval.ms", INT, 3600000, ConfigDef.Range.atLeast(1), LOW,
                    "How often expired transactional ids are removed.")
            .define("transaction.partition.verification.enable", BOOLEAN, true, LOW,
                    "Whether partition leaders verify a transactional produce with the coordinator.")
            .define(TRANSACTIONS_ENABLE, BOOLEAN, true, LOW,
                    "Runnel's own: false turns transactions off (no coordinator, transactional produce refused), as before they existed.")
            .define("offsets.retention.minutes", INT, 10080, ConfigDef.Range.atLeast(1), HIGH,
                    "How long committed offsets of an empty group (or an unsubscribed topic) are kept.")
            .define("offsets.retention.check.interval.ms", LONG, 600000L, ConfigDef.Range.atLeast(1), HIGH, "How often offsets expire.")
            .define("offset.metadata.max.bytes", INT, 4096, HIGH, "Longest metadata string of a committed offset.")
            .define("group.min.session.timeout.ms", INT, 6000, MEDIUM, "Shortest session timeout a classic member may ask for.")
            .define("group.max.session.timeout.ms", INT, 1800000, MEDIUM, "Longest session timeout a classic member may ask for.")
            .define("group.initial.rebalance.delay.ms", INT, 3000, ConfigDef.Range.atLeast(0), MEDIUM,
                    "How long a new classic group waits for more members before its first rebalance.")
            .define("group.max.size", INT, Integer.MAX_VALUE, ConfigDef.Range.atLeast(1), MEDIUM, "Most members of a classic group.")
            .define("group.consumer.session.timeout.ms", INT, 45000, ConfigDef.Range.atLeast(1), MEDIUM,
                    "Session timeout of consumer-protocol (KIP-848) members.")
            .define("group.consumer.min.session.timeout.ms", INT, 45000, ConfigDef.Range.atLeast(1), MEDIUM, "Shortest consumer-protocol session timeout.")
            .define("group.consumer.max.session.timeout.ms", INT, 60000, ConfigDef.Range.atLeast(1), MEDIUM, "Longest consumer-protocol session timeout.")
            .define("group.consumer.heartbeat.interval.ms", INT, 5000, ConfigDef.Range.atLeast(1), MEDIUM,
                    "Heartbeat interval given to consumer-protocol members.")
            .define("group.consumer.min.heartbeat.interval.ms", INT, 5000, ConfigDef.Range.atLeast(1), MEDIUM,
                    "Shortest heartbeat interval of consumer-protocol members.")
            .define("group.consumer.max.heartbeat.interval.ms", INT, 15000, ConfigDef.Range.atLeast(1), MEDIUM,
                    "Longest heartbeat interval of consumer-protocol members.")
            .define("group.consumer.max.size", INT, Integer.MAX_VALUE, ConfigDef.Range.atLeast(1), MEDIUM, "Most members of a consumer-protocol group.")
            .define("group.consumer.migration.policy", STRING, "bidirectional",
                    ConfigDef.CaseInsensitiveValidString.in("disabled", "downgrade", "upgrade", "bidirectional"), MEDIUM,
                    "Whether a non-empty group may change protocol: upgrade (classic to consumer), downgrade, both, or neither.")
            .define("group.consumer.assignors", LIST, "uniform,range", MEDIUM,
                    "Server-side assignors of consumer-protocol groups; the first is the default.")
            .define("metrics.port", INT, 9644, ConfigDef.Range.atLeast(-1), MEDIUM,
                    "Port of the HTTP metrics and health endpoint (0: a free port; -1: no endpoint).")
            .define("metrics.host", STRING, null, MEDIUM,
                    "Host (interface) of the metrics endpoint; by default the first broker listener's host.")
            .define("metrics.basic.auth.user", STRING, null, MEDIUM,
                    "With metrics.basic.auth.password, the user every request to the metrics and health endpoint must name (HTTP basic auth).")
            .define("metrics.basic.auth.password", PASSWORD, null, MEDIUM, "The password of metrics.basic.auth.user.")
            .define("process.roles", LIST, "", ConfigDef.ValidList.in(true, "broker", "controller"), HIGH,
                    "Roles of this node in a cluster: broker, controller, or both. Empty: a single node with a local metadata log and no quorum.")
            .define("controller.quorum.voters", LIST, "", HIGH, "The controller quorum's voters: id@host:port,...")
            .define("controller.quorum.bootstrap.servers", LIST, "", HIGH, "Controllers to contact (host:port,...) when the voters are not listed.")
            .define("controller.listener.names", LIST, null, HIGH,
                    "Listener names used by the controller quorum; the first is the one this node's controller binds. Default CONTROLLER when process.roles is set.")
            .define("inter.broker.listener.name", STRING, null, MEDIUM, "Listener other brokers connect to; default the first broker listener.")
            .define("broker.rack", STRING, null, MEDIUM, "Rack of this broker, for rack-aware replica placement.")
            .define("metadata.log.dir", STRING, null, HIGH, "Directory of the metadata log; default the first log dir.")
            .define("broker.heartbeat.interval.ms", INT, 2000, ConfigDef.Range.atLeast(1), MEDIUM, "How often a broker heartbeats to the controller.")
            .define("broker.session.timeout.ms", INT, 9000, ConfigDef.Range.atLeast(1), MEDIUM,
                    "How long a broker may go without a heartbeat before the controller fences it.")
            .define("controller.quorum.election.timeout.ms", INT, 1000, ConfigDef.Range.atLeast(1), HIGH,
                    "How long a voter waits without hearing from a leader before it starts an election.")
            .define("controller.quorum.request.timeout.ms", INT, 2000, ConfigDef.Range.atLeast(1), MEDIUM, "Timeout of a request to the quorum.")
            .define("initial.broker.registration.timeout.ms", INT, 60000, ConfigDef.Range.atLeast(1), MEDIUM,
                    "How long a starting broker waits to register with the controller before it gives up.")
            .define("controlled.shutdown.enable", BOOLEAN, true, MEDIUM,
                    "On shutdown, move leadership away before stopping.")));

    /** Keys Kafka knows that this broker accepts and ignores for now, so they draw no warning. */
    private static final Set<String> KNOWN_IGNORED = Set.of(
            "num.recovery.threads.per.data.dir",
            "socket.send.buffer.bytes", "socket.receive.buffer.bytes",
            "transaction.state.log.replication.factor", "transaction.state.log.min.isr", "share.coordinator.state.topic.replication.factor",
            "share.coordinator.state.topic.min.isr", "group.coordinator.rebalance.protocols");

    private final Map<String, Object> values;
    private final Map<String, String> unknown;
    private final Map<String, String> originals;
    private final Set<ProcessRole> roles;
    private final ListenerConfig listeners;
    private final List<QuorumVoterConfig> voters;
    private final Map<String, SaslListenerConfig> saslListeners;
    private final ConnectionLimits connectionLimits;

    private BrokerConfig(Map<String, Object> values, Map<String, String> unknown, Map<String, String> originals) {
        this.values = values;
        this.unknown = unknown;
        this.originals = Map.copyOf(originals);
        this.roles = ProcessRole.parse((List<?>) values.get("process.roles"));
        this.listeners = ListenerConfig.parse(values, roles);
        this.voters = QuorumVoterConfig.parseList((List<?>) values.get("controller.quorum.voters"));
        this.saslListeners = saslListeners(listeners, this.originals, values);
        this.connectionLimits = ConnectionLimits.parse(values, this.originals, listeners.brokerListeners().stream().map(Listener::name).toList());
    }

    /**
     * Parses properties with Kafka's key names.
     *
     * @throws InvalidConfigException with one line naming the key when a value is bad
     */
    public static BrokerConfig parse(Map<String, String> properties) {
        Map<String, String> unknown = new TreeMap<>();
        properties.forEach((key, value) -> {
            if (!DEFINITION.names().contains(key) && !KNOWN_IGNORED.contains(key) && !SaslListenerConfig.isListenerKey(key)
                    && !ListenerSslConfig.isListenerKey(key) && !ListenerSslConfig.isMetricsKey(key)
                    && !ConnectionLimits.isListenerKey(key)) {
                unknown.put(key, value);
            }
        });
        try {
            BrokerConfig config = new BrokerConfig(DEFINITION.parse(properties), unknown, properties);
            config.validateDerived();
            return config;
        } catch (ConfigException e) {
            throw new InvalidConfigException(e.getMessage());
        }
    }

    private void validateDerived() {
        quorumBootstrapServers();
        if (clusterMode()) {
            validateCluster();
        }
        logDefaults();
        cleanerConfig();
        if (logDirs().isEmpty()) {
            throw new InvalidConfigException("Invalid value for configuration log.dirs: no directory given");
        }
        validateConsumerGroupTimings();
        brokerListeners().forEach(listener -> sslConfigs(listener.name()));
        metricsSslConfigs();
        metricsBasicAuth();
        authorizerConfig();
        interBrokerSaslLogin();
        if (brokerHeartbeatIntervalMs() >= brokerSessionTimeoutMs()) {
            throw new InvalidConfigException("broker.heartbeat.interval.ms must be less than broker.session.timeout.ms");
        }
    }

    /** What Kafka requires of a node in a cluster (process.roles set): an explicit id, a quorum to join, a controller listener on its voter port. */
    private void validateCluster() {
        if (!originals.containsKey("node.id")) {
            throw new InvalidConfigException("Missing required configuration node.id: it has no default when process.roles is set");
        }
        if (voters.isEmpty() && quorumBootstrapServers().isEmpty()) {
            throw new InvalidConfigException("Missing required configuration controller.quorum.voters: when process.roles is set,"
                    + " give the voters (id@host:port,...) or controller.quorum.bootstrap.servers");
        }
        if (!roles.contains(ProcessRole.CONTROLLER) || voters.isEmpty()) {
            return;
        }
        QuorumVoterConfig self = voters.stream().filter(voter -> voter.nodeId() == nodeId()).findFirst().orElseThrow(() ->
                new InvalidConfigException("Invalid value '" + originals.get("controller.quorum.voters") + "' for configuration controller.quorum.voters: node.id "
                        + nodeId() + " is not a voter, but process.roles has controller"));
        Listener controller = controllerListener().orElseThrow();
        if (controller.port() != self.port()) {
            throw new InvalidConfigException("Invalid value '" + controller.toUri() + "' for configuration listeners: controller listener "
                    + controller.name() + " must use port " + self.port() + ", this node's port in controller.quorum.voters");
        }
    }

    /** The bounds Kafka checks at start between the consumer-protocol timing settings, with its messages. */
    private void validateConsumerGroupTimings() {
        requireAtLeast("group.consumer.session.timeout.ms", "group.consumer.min.session.timeout.ms");
        requireAtMost("group.consumer.session.timeout.ms", "group.consumer.max.session.timeout.ms");
        requireAtLeast("group.consumer.heartbeat.interval.ms", "group.consumer.min.heartbeat.interval.ms");
        requireAtMost("group.consumer.heartbeat.interval.ms", "group.consumer.max.heartbeat.interval.ms");
        if ((Integer) values.get("group.consumer.heartbeat.interval.ms") >= (Integer) values.get("group.consumer.session.timeout.ms")) {
            throw new InvalidConfigException("group.consumer.heartbeat.interval.ms must be less than group.consumer.session.timeout.ms");
        }
    }

    private void requireAtLeast(String key, String lowerBoundKey) {
        if ((Integer) values.get(key) < (Integer) values.get(lowerBoundKey)) {
            throw new InvalidConfigException(key + " must be greater than or equal to " + lowerBoundKey);
        }
    }

    private void requireAtMost(String key, String upperBoundKey) {
        if ((Integer) values.get(key) > (Integer) values.get(upperBoundKey)) {
            throw new InvalidConfigException(key + " must be less than or equal to " + upperBoundKey);
        }
    }

    /** Every key this broker knows, with its type, default and documentation. */
    public static Map<String, ConfigDef.ConfigKey> keys() {
        return DEFINITION.configKeys();
    }

    /** The properties as given (server.properties and overrides, with dynamic configs if any), before parsing. */
    public Map<String, String> originals() {
        return originals;
    }

    /** The parsed value of a known key (null if it has no value), as Kafka would read it. */
    public Object value(String name) {
        return values.get(name);
    }

    /** Keys this broker does not know; the caller warns about each once. */
    public Map<String, String> unknownKeys() {
        return unknown;
    }

    public int nodeId() {
        return (Integer) values.get("node.id");
    }

    /** Every listener of {@code listeners}, controller ones included. */
    public List<Listener> listeners() {
        return listeners.listeners();
    }

    /** The listeners this broker serves Kafka clients and other brokers on: every listener except the controller ones. */
    public List<Listener> brokerListeners() {
        return listeners.brokerListeners();
    }

    /** The listener the controller quorum binds (the first of {@code controller.listener.names}), if this node listens on it. */
    public Optional<Listener> controllerListener() {
        return listeners.controllerListener();
    }

    /** {@code controller.listener.names}; default {@code CONTROLLER} when process.roles is set, else empty. */
    public List<String> controllerListenerNames() {
        return listeners.controllerNames();
    }

    /**
     * The address advertised for a listener: its entry in {@code advertised.listeners}, else the listener
     * itself. Port 0 (or an empty host) is resolved by the broker once it has bound.
     *
     * @throws IllegalArgumentException when no listener has that name
     */
    public Listener advertisedListener(String name) {
        return listeners.advertisedListener(name);
    }

    /** The advertised address of every listener, in the order of {@code listeners}; see {@link #advertisedListener}. */
    public List<Listener> advertisedListeners() {
        return listeners.listeners().stream().map(listener -> advertisedListener(listener.name())).toList();
    }

    /** {@code inter.broker.listener.name}, by default the first broker listener; null on a controller-only node. */
    public String interBrokerListenerName() {
        return listeners.interBrokerName();
    }

    /** The security protocol of a listener, from {@code listener.security.protocol.map}: PLAINTEXT, SSL, SASL_PLAINTEXT or SASL_SSL (others are refused). */
    public String securityProtocol(String listenerName) {
        return listeners.securityProtocol(listenerName);
    }

    /**
     * The ssl.* configuration of a TLS listener (SSL or SASL_SSL), {@code listener.name.<listener>.ssl.*}
     * winning over {@code ssl.*}, parsed as Kafka parses it; empty for a listener that is not TLS.
     */
    public Optional<Map<String, Object>> sslConfigs(String listenerName) {
        return switch (securityProtocol(listenerName)) {
            case "SSL" -> Optional.of(ListenerSslConfig.forListener(originals, listenerName));
            case "SASL_SSL" -> Optional.of(ListenerSslConfig.forSaslListener(originals, listenerName));
            default -> Optional.empty();
        };
    }

    /** {@code process.roles}: empty in single-node mode (broker and controller, local metadata log, no quorum). */
    public Set<ProcessRole> processRoles() {
        return roles;
    }

    /** Whether this node is part of a cluster: {@code process.roles} is set. */
    public boolean clusterMode() {
        return !roles.isEmpty();
    }

    /** {@code controller.quorum.voters}, in the order given; empty when not set. */
    public List<QuorumVoterConfig> quorumVoters() {
        return voters;
    }

    /** {@code controller.quorum.bootstrap.servers} as unresolved addresses; empty when not set. */
    public List<InetSocketAddress> quorumBootstrapServers() {
        List<InetSocketAddress> servers = new ArrayList<>();
        for (Object entry : (List<?>) values.get("controller.quorum.bootstrap.servers")) {
            HostPort server = HostPort.parse(entry.toString().trim());
            if (server == null) {
                throw new InvalidConfigException("Invalid value '" + entry + "' for configuration controller.quorum.bootstrap.servers: expected host:port");
            }
            servers.add(InetSocketAddress.createUnresolved(server.host(), server.port()));
        }
        return List.copyOf(servers);
    }

    /** {@code broker.rack}, if set. */
    public Optional<String> brokerRack() {
        return Optional.ofNullable((String) values.get("broker.rack"));
    }

    /** {@code metadata.log.dir}, by default the first log dir. */
    public Path metadataLogDir() {
        String dir = (String) values.get("metadata.log.dir");
        return dir != null ? Path.of(dir.trim()) : logDirs().get(0);
    }

    public int replicaFetchWaitMaxMs() {
        return (Integer) values.get("replica.fetch.wait.max.ms");
    }

    public int replicaFetchMinBytes() {
        return (Integer) values.get("replica.fetch.min.bytes");
    }

    public int replicaFetchMaxBytes() {
        return (Integer) values.get("replica.fetch.max.bytes");
    }

    public int replicaFetchResponseMaxBytes() {
        return (Integer) values.get("replica.fetch.response.max.bytes");
    }

    public int replicaFetchBackoffMs() {
        return (Integer) values.get("replica.fetch.backoff.ms");
    }

    public int replicaSocketTimeoutMs() {
        return (Integer) values.get("replica.socket.timeout.ms");
    }

    public long replicaLagTimeMaxMs() {
        return (Long) values.get("replica.lag.time.max.ms");
    }

    /**
     * The replication factor {@code __consumer_offsets} is created with: {@code offsets.topic.replication.factor}
     * (3, as Kafka), except that a node alone, with no quorum configured and the setting not given, uses 1,
     * so a broker started with no configuration serves groups at once.
     */
    public short offsetsTopicReplicationFactor() {
        boolean alone = voters.isEmpty() && quorumBootstrapServers().isEmpty();
        if (alone && !originals.containsKey("offsets.topic.replication.factor")) {
            return 1;
        }
        return (Short) values.get("offsets.topic.replication.factor");
    }

    public int brokerHeartbeatIntervalMs() {
        return (Integer) values.get("broker.heartbeat.interval.ms");
    }

    public int brokerSessionTimeoutMs() {
        return (Integer) values.get("broker.session.timeout.ms");
    }

    public int controllerQuorumElectionTimeoutMs() {
        return (Integer) values.get("controller.quorum.election.timeout.ms");
    }

    public int controllerQuorumRequestTimeoutMs() {
        return (Integer) values.get("controller.quorum.request.timeout.ms");
    }

    public int initialBrokerRegistrationTimeoutMs() {
        return (Integer) values.get("initial.broker.registration.timeout.ms");
    }

    public boolean controlledShutdownEnable() {
        return (Boolean) values.get("controlled.shutdown.enable");
    }

    public List<Path> logDirs() {
        String dirs = (String) values.get("log.dirs");
        String value = dirs != null ? dirs : (String) values.get("log.dir");
        List<Path> paths = new ArrayList<>();
        for (String dir : value.split(",")) {
            if (!dir.isBlank()) {
                paths.add(Path.of(dir.trim()));
            }
        }
        return List.copyOf(paths);
    }

    public int numPartitions() {
        return (Integer) values.get("num.partitions");
    }

    public int defaultReplicationFactor() {
        return (Integer) values.get("default.replication.factor");
    }

    public int minInsyncReplicas() {
        return (Integer) values.get("min.insync.replicas");
    }

    public boolean uncleanLeaderElectionEnable() {
        return (Boolean) values.get("unclean.leader.election.enable");
    }

    public boolean autoLeaderRebalanceEnable() {
        return (Boolean) values.get("auto.leader.rebalance.enable");
    }

    public long leaderImbalanceCheckIntervalSeconds() {
        return (Long) values.get("leader.imbalance.check.interval.seconds");
    }

    public int leaderImbalancePerBrokerPercentage() {
        return (Integer) values.get("leader.imbalance.per.broker.percentage");
    }

    public boolean autoCreateTopicsEnable() {
        return (Boolean) values.get("auto.create.topics.enable");
    }

    public boolean deleteTopicEnable() {
        return (Boolean) values.get("delete.topic.enable");
    }

    /** {@code authorizer.class.name}, {@code super.users} and {@code allow.everyone.if.no.acl.found}. */
    public AuthorizerConfig authorizerConfig() {
        try {
            return AuthorizerConfig.parse((String) values.get("authorizer.class.name"), (String) values.get("super.users"),
                    (Boolean) values.get("allow.everyone.if.no.acl.found"));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(e.getMessage());
        }
    }

    private static Map<String, SaslListenerConfig> saslListeners(ListenerConfig listeners, Map<String, String> originals, Map<String, Object> values) {
        Map<String, SaslListenerConfig> sasl = new LinkedHashMap<>();
        List<String> mechanisms = ((List<?>) values.get(SaslListenerConfig.ENABLED_MECHANISMS)).stream().map(Object::toString).toList();
        for (String name : listeners.saslListenerNames()) {
            sasl.put(name, SaslListenerConfig.parse(name, originals, mechanisms));
        }
        return Collections.unmodifiableMap(sasl);
    }

    /** The SASL settings of each SASL_PLAINTEXT and SASL_SSL broker listener, by listener name, in the order of {@code listeners}. */
    public Map<String, SaslListenerConfig> saslListeners() {
        return saslListeners;
    }

    /**
     * How this node logs in to other brokers: present when it is in a cluster and its inter-broker
     * listener is SASL_PLAINTEXT or SASL_SSL; a single node never connects to another broker.
     *
     * @throws InvalidConfigException when the mechanism is not enabled on that listener or the broker has no credentials for it
     */
    public Optional<SaslLogin> interBrokerSaslLogin() {
        String listener = interBrokerListenerName();
        SaslListenerConfig sasl = listener == null || !clusterMode() ? null : saslListeners.get(listener);
        return sasl == null ? Optional.empty() : Optional.of(sasl.login(INTER_BROKER_SASL_MECHANISM, (String) values.get(INTER_BROKER_SASL_MECHANISM)));
    }

    /** {@code sasl.server.max.receive.size}: the frame cap before authentication (Kafka's 512 KiB). */
    public int saslServerMaxReceiveSize() {
        return (Integer) values.get("sasl.server.max.receive.size");
    }

    /** {@code connections.max.reauth.ms}: how long a SASL session lasts before re-authentication (0: forever). */
    public long connectionsMaxReauthMs() {
        return (Long) values.get("connections.max.reauth.ms");
    }

    /** The limits on client connections, broker-wide and per broker listener. */
    public ConnectionLimits connectionLimits() {
        return connectionLimits;
    }

    /** {@code connection.failed.authentication.delay.ms}: how long a failed login waits for its answer and the close. */
    public int failedAuthenticationDelayMs() {
        return (Integer) values.get("connection.failed.authentication.delay.ms");
    }

    public int socketRequestMaxBytes() {
        return (Integer) values.get("socket.request.max.bytes");
    }

    public int numIoThreads() {
        return (Integer) values.get("num.io.threads");
    }

    public int numNetworkThreads() {
        return (Integer) values.get("num.network.threads");
    }

    public int fetchMaxBytes() {
        return (Integer) values.get("fetch.max.bytes");
    }

    /** {@code controller.quota.window.num} samples of {@code controller.quota.window.size.seconds}: the controller mutation quota's burst. */
    public QuotaWindow controllerQuotaWindow() {
        return new QuotaWindow((Integer) values.get("controller.quota.window.num"), (Integer) values.get("controller.quota.window.size.seconds"));
    }

    /** {@code quota.window.num} samples of {@code quota.window.size.seconds} each: what client quota rates are measured over. */
    public QuotaWindow quotaWindow() {
        return new QuotaWindow((Integer) values.get("quota.window.num"), (Integer) values.get("quota.window.size.seconds"));
    }

    /** {@code request.timeout.ms}: how long a transaction marker waits for replication. */
    public int requestTimeoutMs() {
        return (Integer) values.get("request.timeout.ms");
    }

    /** {@code max.request.partition.size.limit}: the most partitions a DescribeTopicPartitions response holds. */
    public int maxRequestPartitionSizeLimit() {
        return (Integer) values.get("max.request.partition.size.limit");
    }

    public long producerIdExpirationMs() {
        return (Long) values.get("producer.id.expiration.ms");
    }

    public long retentionCheckIntervalMs() {
        return (Long) values.get("log.retention.check.interval.ms");
    }

    public long flushSchedulerIntervalMs() {
        return (Long) values.get("log.flush.scheduler.interval.ms");
    }

    public long checkpointIntervalMs() {
        return ((Integer) values.get("log.flush.offset.checkpoint.interval.ms")).longValue();
    }

    /** The log cleaner's settings ({@code log.cleaner.*}). */
    public CleanerConfig cleanerConfig() {
        try {
            return new CleanerConfig((Boolean) values.get("log.cleaner.enable"), (Integer) values.get("log.cleaner.threads"),
                    (Long) values.get("log.cleaner.dedupe.buffer.size"), (Double) values.get("log.cleaner.io.buffer.load.factor"),
                    (Integer) values.get("log.cleaner.io.buffer.size"), (Long) values.get("log.cleaner.backoff.ms"));
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException("Invalid log cleaner configuration: " + e.getMessage());
        }
    }

    /** The port of the HTTP metrics endpoint: 0 picks a free one, -1 turns it off. */
    public int metricsPort() {
        return (Integer) values.get("metrics.port");
    }

    /** The TLS of the metrics endpoint ({@code metrics.ssl.*}, Kafka's ssl.* keys under Runnel's prefix), if it serves HTTPS. */
    public Optional<Map<String, Object>> metricsSslConfigs() {
        return ListenerSslConfig.forMetrics(originals);
    }

    /** The user and password of the metrics endpoint's basic auth, if it asks for one. */
    public Optional<PasswordAuthentication> metricsBasicAuth() {
        String user = (String) values.get("metrics.basic.auth.user");
        Password password = (Password) values.get("metrics.basic.auth.password");
        if (user == null && password == null) {
            return Optional.empty();
        }
        if (user == null || user.isBlank() || password == null || password.value().isEmpty()) {
            throw new InvalidConfigException("metrics.basic.auth.user and metrics.basic.auth.password must be set together");
        }
        return Optional.of(new PasswordAuthentication(user, password.value().toCharArray()));
    }

    /** The host the metrics endpoint binds: {@code metrics.host}, else the first broker listener's (empty: every interface). */
    public String metricsHost() {
        String host = (String) values.get("metrics.host");
        List<Listener> served = brokerListeners().isEmpty() ? listeners() : brokerListeners();
        return host != null ? host.trim() : served.get(0).host();
    }

    /** The group coordinator's settings. */
    public GroupConfig groupConfig() {
        List<String> assignors = new ArrayList<>();
        for (Object assignor : (List<?>) values.get("group.consumer.assignors")) {
            assignors.add(shortAssignorName(assignor.toString().trim()));
        }
        return new GroupConfig(offsetsTopicNumPartitions(), ((Integer) values.get("offsets.retention.minutes")) * 60_000L,
                (Long) values.get("offsets.retention.check.interval.ms"), (Integer) values.get("offset.metadata.max.bytes"),
                (Integer) values.get("group.min.session.timeout.ms"), (Integer) values.get("group.max.session.timeout.ms"),
                (Integer) values.get("group.initial.rebalance.delay.ms"), (Integer) values.get("group.max.size"),
                (Integer) values.get("group.consumer.session.timeout.ms"), (Integer) values.get("group.consumer.min.session.timeout.ms"),
                (Integer) values.get("group.consumer.max.session.timeout.ms"), (Integer) values.get("group.consumer.heartbeat.interval.ms"),
                (Integer) values.get("group.consumer.max.size"), assignors)
                .withConsumerMigrationPolicy(ConsumerGroupMigrationPolicy.parse((String) values.get("group.consumer.migration.policy")));
    }

    /** Kafka names assignors by class ({@code org.apache.kafka.coordinator.group.assignor.UniformAssignor}) or by name ("uniform"). */
    private static String shortAssignorName(String assignor) {
        String simple = assignor.substring(assignor.lastIndexOf('.') + 1);
        return simple.endsWith("Assignor") ? simple.substring(0, simple.length() - "Assignor".length()).toLowerCase(java.util.Locale.ROOT) : simple;
    }

    public int offsetsTopicNumPartitions() {
        return (Integer) values.get("offsets.topic.num.partitions");
    }

    public int offsetsTopicSegmentBytes() {
        return (Integer) values.get("offsets.topic.segment.bytes");
    }

    /** Whether the transaction coordinator and its APIs are served ({@link #TRANSACTIONS_ENABLE}). */
    public boolean transactionsEnabled() {
        return (Boolean) values.get(TRANSACTIONS_ENABLE);
    }

    /**
     * {@code transaction.partition.verification.enable}: partition leaders ask the transaction
     * coordinator before a transactional batch opens a transaction (KIP-890). Dynamic in Kafka; static here.
     */
    public boolean transactionPartitionVerificationEnabled() {
        return (Boolean) values.get("transaction.partition.verification.enable");
    }

    /** The transaction coordinator's settings: {@code transaction.state.log.num.partitions}, {@code transaction.max.timeout.ms}, {@code transactional.id.expiration.ms}. */
    public TransactionSettings transactionSettings() {
        boolean alone = voters.isEmpty() && quorumBootstrapServers().isEmpty();
        short replicationFactor = alone && !originals.containsKey("transaction.state.log.replication.factor")
                ? 1 : (Short) values.get("transaction.state.log.replication.factor");
        int minIsr = alone && !originals.containsKey("transaction.state.log.min.isr") ? 1 : (Integer) values.get("transaction.state.log.min.isr");
        return new TransactionSettings((Integer) values.get("transaction.state.log.num.partitions"), replicationFactor, minIsr,
                (Integer) values.get("transaction.state.log.segment.bytes"), (Integer) values.get("transaction.max.timeout.ms"),
                (Integer) values.get("transactional.id.expiration.ms"),
                (Integer) values.get("transaction.abort.timed.out.transaction.cleanup.interval.ms"),
                (Integer) values.get("transaction.remove.expired.transaction.cleanup.interval.ms"));
    }

    /**
     * The settings of {@code __transaction_state} and its coordinator; a node alone uses replication
     * factor 1 and min ISR 1 unless they are set, as for {@code __consumer_offsets}.
     */
    public record TransactionSettings(int partitionCount, short replicationFactor, int minIsr, int segmentBytes, int maxTimeoutMs,
                                      long transactionalIdExpirationMs, long abortTimedOutIntervalMs, long removeExpiredIntervalMs) { }

    /** The broker-wide defaults of topic configs, keyed by their topic-level names (retention.ms, ...). */
    public Map<String, Object> logDefaults() {
        Map<String, Object> defaults = new TreeMap<>();
        defaults.put("segment.bytes", values.get("log.segment.bytes"));
        defaults.put("segment.ms", firstNonNull(values.get("log.roll.ms"), hoursToMs("log.roll.hours")));
        defaults.put("retention.ms", retentionMs());
        defaults.put("retention.bytes", values.get("log.retention.bytes"));
        defaults.put("index.interval.bytes", values.get("log.index.interval.bytes"));
        defaults.put("segment.index.bytes", values.get("log.index.size.max.bytes"));
        defaults.put("max.message.bytes", values.get("message.max.bytes"));
        defaults.put("message.timestamp.type", values.get("log.message.timestamp.type"));
        defaults.put("message.timestamp.before.max.ms", values.get("log.message.timestamp.before.max.ms"));
        defaults.put("message.timestamp.after.max.ms", values.get("log.message.timestamp.after.max.ms"));
        defaults.put("flush.messages", values.get("log.flush.interval.messages"));
        defaults.put("flush.ms", firstNonNull(values.get("log.flush.interval.ms"), Long.MAX_VALUE));
        defaults.put("file.delete.delay.ms", values.get("log.segment.delete.delay.ms"));
        defaults.put("min.insync.replicas", values.get("min.insync.replicas"));
        defaults.put("unclean.leader.election.enable", values.get("unclean.leader.election.enable"));
        defaults.put("cleanup.policy", String.join(",", ((List<?>) values.get("log.cleanup.policy")).stream().map(String::valueOf).toList()));
        defaults.put("min.cleanable.dirty.ratio", values.get("log.cleaner.min.cleanable.ratio"));
        defaults.put("delete.retention.ms", values.get("log.cleaner.delete.retention.ms"));
        defaults.put("min.compaction.lag.ms", values.get("log.cleaner.min.compaction.lag.ms"));
        defaults.put("max.compaction.lag.ms", values.get("log.cleaner.max.compaction.lag.ms"));
        return defaults;
    }

    private long retentionMs() {
        Object ms = values.get("log.retention.ms");
        if (ms != null) {
            return (Long) ms;
        }
        Object minutes = values.get("log.retention.minutes");
        if (minutes != null) {
            return (Integer) minutes * 60_000L;
        }
        return hoursToMs("log.retention.hours");
    }

    private long hoursToMs(String key) {
        return (Integer) values.get(key) * 3_600_000L;
    }

    private static Object firstNonNull(Object first, Object second) {
        return first != null ? first : second;
    }

    /** The values that differ from Kafka's defaults, for the start-up log line. */
    public Map<String, Object> nonDefaultValues() {
        Map<String, Object> changed = new TreeMap<>();
        DEFINITION.configKeys().forEach((name, key) -> {
            Object value = values.get(name);
            if (value != null && !value.equals(key.defaultValue)) {
                changed.put(name, value);
            }
        });
        return changed;
    }
}
