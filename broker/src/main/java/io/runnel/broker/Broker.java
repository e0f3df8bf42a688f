package io.runnel.broker;

import io.runnel.metadata.controller.ClusterController;

import io.runnel.broker.config.BrokerConfig;
import io.runnel.broker.config.InvalidConfigException;
import io.runnel.broker.config.DynamicBrokerConfig;
import io.runnel.broker.config.Listener;
import io.runnel.broker.config.TopicConfigs;
import io.runnel.broker.handler.ApiHandler;
import io.runnel.broker.acl.RequestAuthorizer;
import io.runnel.broker.acl.StandardAuthorizer;
import io.runnel.broker.handler.ApiRouter;
import io.runnel.broker.handler.acl.CreateAclsHandler;
import io.runnel.broker.handler.acl.DeleteAclsHandler;
import io.runnel.broker.handler.acl.DescribeAclsHandler;
import io.runnel.broker.handler.acl.RequestChecks;
import io.runnel.broker.handler.ApiVersionsHandler;
import io.runnel.broker.handler.ClusterIdentity;
import io.runnel.broker.handler.ClusterView;
import io.runnel.broker.handler.CreateTopicsHandler;
import io.runnel.broker.handler.DeleteTopicsHandler;
import io.runnel.broker.handler.DescribeClusterHandler;
import io.runnel.broker.handler.FetchHandler;
import io.runnel.broker.handler.InitProducerIdHandler;
import io.runnel.broker.handler.ListOffsetsHandler;
import io.runnel.broker.handler.MetadataHandler;
import io.runnel.broker.handler.OffsetForLeaderEpochHandler;
import io.runnel.broker.handler.ProduceHandler;
import io.runnel.broker.handler.SaslAuthenticateHandler;
import io.runnel.broker.handler.SaslHandshakeHandler;
import io.runnel.broker.handler.TopicCreator;
import io.runnel.broker.handler.UpdateFeaturesHandler;
import io.runnel.broker.handler.AlterConfigsHandler;
import io.runnel.broker.handler.AlterPartitionReassignmentsHandler;
import io.runnel.broker.handler.ConfigAlterer;
import io.runnel.broker.handler.CreatePartitionsHandler;
import io.runnel.broker.handler.DeleteRecordsHandler;
import io.runnel.broker.handler.DescribeConfigsHandler;
import io.runnel.broker.handler.DescribeLogDirsHandler;
import io.runnel.broker.handler.DescribeProducersHandler;
import io.runnel.broker.handler.DescribeQuorumHandler;
import io.runnel.broker.handler.ElectLeadersHandler;
import io.runnel.broker.handler.IncrementalAlterConfigsHandler;
import io.runnel.broker.handler.ListPartitionReassignmentsHandler;
import io.runnel.broker.group.GroupCoordinatorRuntime;
import io.runnel.broker.group.OffsetsTopic;
import io.runnel.broker.handler.group.ConsumerGroupDescribeHandler;
import io.runnel.broker.handler.group.ConsumerGroupHeartbeatHandler;
import io.runnel.broker.handler.group.DeleteGroupsHandler;
import io.runnel.broker.handler.group.DescribeGroupsHandler;
import io.runnel.broker.handler.group.FindCoordinatorHandler;
import io.runnel.broker.handler.group.HeartbeatHandler;
import io.runnel.broker.handler.group.JoinGroupHandler;
import io.runnel.broker.handler.group.LeaveGroupHandler;
import io.runnel.broker.handler.group.ListGroupsHandler;
import io.runnel.broker.handler.group.OffsetCommitHandler;
import io.runnel.broker.handler.group.OffsetDeleteHandler;
import io.runnel.broker.handler.group.OffsetFetchHandler;
import io.runnel.broker.handler.group.SyncGroupHandler;
import io.runnel.broker.handler.group.TxnOffsetCommitHandler;
import io.runnel.broker.metrics.BrokerMetrics;
import io.runnel.broker.metrics.EndpointSecurity;
import io.runnel.broker.metrics.TopicTraffic;
import io.runnel.broker.interbroker.InterBrokerSecurity;
import io.runnel.broker.network.ConnectionQuotas;
import io.runnel.broker.network.DynamicListenerTls;
import io.runnel.broker.network.KafkaServer;
import io.runnel.broker.network.ListenerTls;
import io.runnel.broker.network.SaslListeners;
import io.runnel.broker.network.SaslMechanisms;
import io.runnel.broker.network.ScramCredentialLookup;
import io.runnel.broker.handler.scram.AlterUserScramCredentialsHandler;
import io.runnel.broker.handler.scram.DescribeUserScramCredentialsHandler;
import io.runnel.broker.handler.quota.AlterClientQuotasHandler;
import io.runnel.broker.quota.ClientQuotaManager;
import io.runnel.broker.quota.ControllerMutationQuotas;
import io.runnel.broker.quota.FetchQuota;
import io.runnel.broker.quota.QuotaKey;
import io.runnel.broker.quota.QuotaThrottle;
import io.runnel.broker.quota.RequestTimeQuota;
import java.util.function.Supplier;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import io.runnel.broker.handler.quota.DescribeClientQuotasHandler;
import org.apache.kafka.common.security.scram.ScramCredential;
import io.runnel.broker.partition.Purgatory;
import io.runnel.broker.partition.PartitionRegistry;
import io.runnel.broker.replica.BrokerReplication;
import io.runnel.broker.replica.ControllerIsrChanges;
import io.runnel.broker.producer.ProducerIdManager;
import io.runnel.broker.txn.TransactionCoordinatorRuntime;
import io.runnel.broker.handler.ProduceVerification;
import io.runnel.broker.txn.TransactionStateTopic;
import io.runnel.broker.handler.txn.AddOffsetsToTxnHandler;
import io.runnel.broker.handler.txn.AddPartitionsToTxnHandler;
import io.runnel.broker.handler.txn.DescribeTransactionsHandler;
import io.runnel.broker.handler.txn.EndTxnHandler;
import io.runnel.broker.handler.txn.ListTransactionsHandler;
import io.runnel.broker.handler.txn.WriteTxnMarkersHandler;
import io.runnel.broker.txn.TxnMarkerWriter;
import io.runnel.metadata.BrokerEndpoint;
import io.runnel.metadata.ClusterMetadata;
import io.runnel.metadata.MetadataRecord;
import io.runnel.metadata.node.BrokerLifecycle;
import io.runnel.metadata.node.MetadataNode;
import io.runnel.protocol.SupportedApis;
import io.runnel.storage.cleaner.LogCleaner;
import io.runnel.storage.log.LogManager;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import io.netty.util.concurrent.DefaultThreadFactory;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.protocol.ApiKeys;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Runnel broker, alone or one of a cluster: the assembly of metadata, storage, partitions, handlers
 * and the network server. {@link #start} returns once the broker serves requests and the controller
 * has unfenced it; {@link #close} shuts it down cleanly (a controlled shutdown hands its leaderships
 * over, requests in flight are answered, logs flushed and checkpointed). Start and close are called by
 * one thread.
 */
public final class Broker implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(Broker.class);
    private static final long SHUTDOWN_DRAIN_SECONDS = 10;
    private static final long CONTROLLED_SHUTDOWN_MS = 30_000;
    /** How long a broker waits for the controller to carry out a metadata change it forwarded. */
    private static final long FORWARD_TIMEOUT_MS = 30_000;

    private final BrokerConfig config;
    private final MetadataNode node;
    private final BrokerLifecycle lifecycle;
    private final LogManager logManager;
    private final LogCleaner cleaner;
    private final BrokerReplication replication;
    private final GroupCoordinatorRuntime groups;
    /** The transaction coordinator, or null while transactions are off. */
    private final TransactionCoordinatorRuntime transactions;
    /** The request handler pools: the general one, and the one of requests that wait for the controller. */
    private final List<ExecutorService> requestHandlers;
    private final ScheduledExecutorService purgatoryTimer;
    private final KafkaServer server;
    private final int boundPort;
    private final Map<String, Listener> advertisedEndpoints;
    private final BrokerMetrics metrics;

    private Broker(BrokerConfig config, MetadataNode node, BrokerLifecycle lifecycle, LogManager logManager, LogCleaner cleaner,
                   BrokerReplication replication, GroupCoordinatorRuntime groups, TransactionCoordinatorRuntime transactions,
                   List<ExecutorService> requestHandlers, ScheduledExecutorService purgatoryTimer, KafkaServer server, int boundPort,
                   Map<String, Listener> advertisedEndpoints, BrokerMetrics metrics) {
        this.metrics = metrics;
        this.config = config;
        this.node = node;
        this.lifecycle = lifecycle;
        this.logManager = logManager;
        this.cleaner = cleaner;
        this.replication = replication;
        this.groups = groups;
        this.transactions = transactions;
        this.requestHandlers = requestHandlers;
        this.purgatoryTimer = purgatoryTimer;
        this.server = server;
        this.boundPort = boundPort;
        this.advertisedEndpoints = advertisedEndpoints;
    }

    /**
     * Starts a broker and returns once it serves requests and the controller has unfenced it; on
     * failure, releases what it had opened.
     */
    public static Broker start(BrokerConfig config) throws IOException {
        long startNanos = System.nanoTime();
        config.unknownKeys().keySet().forEach(key -> log.warn("Ignoring unknown configuration {}", key));
        TopicConfigs topicConfigs = new TopicConfigs(config);
        MetaProperties stored = MetaProperties.load(config.logDirs(), config.nodeId());
        List<AutoCloseable> opened = new ArrayList<>();
        try {
            Map<String, ListenerTls> tls = listenerTls(config, opened);
            InterBrokerSecurity interInterBrokerSecurity = InterBrokerSecurity.forInterBrokerListener(config);
            // Early and alongside the rest, so readiness answers "starting" during a long recovery.
            CompletableFuture<BrokerMetrics> startingMetrics = BrokerMetrics.startInBackground(config.metricsHost(), config.metricsPort(),
                    metricsSecurity(config));
            opened.add(() -> startingMetrics.thenAccept(BrokerMetrics::close));
            MetadataNode node = opened(opened, MetadataNodes.start(config, stored.clusterId().orElseGet(() -> Uuid.randomUuid().toString())));
            MetaProperties meta = stored.store(config.logDirs(), MetadataNodes.awaitClusterId(node, config));
            ClusterMetadata controller = new ClusterMetadata(node, Duration.ofMillis(FORWARD_TIMEOUT_MS));
            LogManager logManager = opened(opened, LogManager.open(config.logDirs(), Clock.systemUTC()));
            RequestAuthorizer authorizer = authorizer(config, controller);
            DynamicBrokerConfig dynamicConfig = new DynamicBrokerConfig(config, topicConfigs);
            dynamicConfig.load(controller.image());
            controller.addListener(dynamicConfig);
            followStores(dynamicConfig, tls);
            LogCleaner cleaner = opened(opened, new LogCleaner(config.cleanerConfig(), logManager, Clock.systemUTC()));
            ScheduledThreadPoolExecutor purgatoryTimer = new ScheduledThreadPoolExecutor(1, new DefaultThreadFactory("runnel-purgatory", true));
            purgatoryTimer.setRemoveOnCancelPolicy(true);
            opened.add(purgatoryTimer::shutdownNow);
            Purgatory fetches = new Purgatory(purgatoryTimer);
            Purgatory produces = new Purgatory(purgatoryTimer);
            BrokerReplication replication = opened(opened, new BrokerReplication(config, interInterBrokerSecurity, meta.clusterId().orElseThrow(), controller,
                    new ControllerIsrChanges(controller), fetches, produces, Clock.systemUTC()));
            PartitionRegistry partitions = new PartitionRegistry(config.nodeId(), logManager, topicConfigs, replication, replication.fetchers());
            partitions.load(controller.image());
            controller.addListener(partitions);
            replication.startIsrChecks(partitions, purgatoryTimer);
            GroupCoordinatorRuntime groups = opened(opened, GroupCoordinatorRuntime.start(config.groupConfig(),
                    OffsetsTopic.create(controller, partitions, config.groupConfig().offsetsTopicNumPartitions(), config.offsetsTopicSegmentBytes(),
                            config.offsetsTopicReplicationFactor()), controller, partitions, produces, Clock.systemUTC()));
            ProducerIdManager producerIds = new ProducerIdManager(controller);
            TxnMarkerWriter markerWriter = new TxnMarkerWriter(partitions, produces, config.requestTimeoutMs(), groups::completeTransaction);
            TransactionCoordinatorRuntime transactions = config.transactionsEnabled()
                    ? opened(opened, TransactionCoordinatorRuntime.start(config.transactionSettings(),
                            TransactionStateTopic.create(controller, partitions, config.transactionSettings()), partitions, produces, producerIds,
                            new TransactionCoordinatorRuntime.MarkerRoutes(config.nodeId(), config.interBrokerListenerName(), interInterBrokerSecurity, controller::image,
                                    markerWriter::write),
                            Clock.systemUTC()))
                    : null;
            if (transactions != null) {
                followTransactionVersion(controller, transactions);
            }

            ExecutorService requestHandlers = Executors.newFixedThreadPool(config.numIoThreads(), new DefaultThreadFactory("runnel-request-handler", true));
            opened.add(requestHandlers::shutdownNow);
            SupportedApis supportedApis = ServedApis.table(transactions != null);
            BrokerMetrics metrics = BrokerMetrics.await(startingMetrics);
            TopicTraffic traffic = metrics.watchTopics(controller, partitions);
            TopicCreator topicCreator = new TopicCreator(controller, topicConfigs, config);
            Supplier<Map<ClientQuotaEntity, Map<String, Double>>> clientQuotas = () -> controller.image().clientQuotas();
            ClientQuotaManager produceQuota = new ClientQuotaManager(QuotaKey.PRODUCER_BYTE_RATE, config.quotaWindow(), clientQuotas,
                    metrics.throttleTimes("Produce"));
            FetchQuota fetchQuota = new FetchQuota(new ClientQuotaManager(QuotaKey.CONSUMER_BYTE_RATE, config.quotaWindow(), clientQuotas,
                    metrics.throttleTimes("Fetch")), System::currentTimeMillis);
            ControllerMutationQuotas mutationQuotas = new ControllerMutationQuotas(config.controllerQuotaWindow(), clientQuotas,
                    System::currentTimeMillis, metrics.throttleTimes("ControllerMutation"));
            Map<ApiKeys, ApiHandler> handlers = handlers(config, controller, partitions, groups, topicCreator, fetches, produces,
                    supportedApis, new ClusterIdentity(meta.clusterId().orElseThrow(), meta.nodeId()), traffic, authorizer, fetchQuota);
            handlers.put(ApiKeys.DELETE_TOPICS, new DeleteTopicsHandler(controller, config.deleteTopicEnable(), authorizer, mutationQuotas));
            handlers.put(ApiKeys.INIT_PRODUCER_ID, new InitProducerIdHandler(producerIds, transactions));
            handlers.put(ApiKeys.PRODUCE, new ProduceHandler(partitions, controller, new ClusterView(controller, config.brokerListeners().get(0).name()),
                    produces, traffic, transactions != null, produceVerification(config, transactions, partitions), requestHandlers, authorizer));
            ClusterView clusterView = new ClusterView(controller, config.brokerListeners().get(0).name());
            handlers.put(ApiKeys.FIND_COORDINATOR, new FindCoordinatorHandler(groups, transactions, clusterView, authorizer));
            if (transactions != null) {
                addTransactionHandlers(handlers, transactions, clusterView, config, authorizer);
                handlers.put(ApiKeys.TXN_OFFSET_COMMIT, new TxnOffsetCommitHandler(groups, partitions, controller::image,
                        config.transactionPartitionVerificationEnabled() ? transactions.partitionVerifier() : null));
                handlers.put(ApiKeys.WRITE_TXN_MARKERS, new WriteTxnMarkersHandler(markerWriter));
            }
            addAdminHandlers(handlers, config, controller, partitions, logManager, topicConfigs, dynamicConfig, topicCreator, authorizer, mutationQuotas);
            addAclHandlers(handlers, controller, authorizer);
            checkServed(handlers, supportedApis);
            ExecutorService controllerBound = Executors.newFixedThreadPool(config.numIoThreads(),
                    new DefaultThreadFactory("runnel-controller-bound-handler", true));
            opened.add(controllerBound::shutdownNow);
            RequestTimeQuota requestQuota = new RequestTimeQuota(new ClientQuotaManager(QuotaKey.REQUEST_PERCENTAGE, config.quotaWindow(), clientQuotas,
                    metrics.throttleTimes("Request")), config.quotaWindow());
            ApiRouter router = new ApiRouter(RequestChecks.guard(handlers, authorizer), requestHandlers, controllerBound, requestQuota);

            KafkaServer server = opened(opened, new KafkaServer(config.brokerListeners(), tls, config.socketRequestMaxBytes(), config.numNetworkThreads(),
                    supportedApis, router, metrics.requests(), saslListeners(config, controller)))
                    .limitConnections(connectionQuotas(config, dynamicConfig, controller))
                    .throttling(new QuotaThrottle(produceQuota, System::currentTimeMillis));
            Map<String, Integer> ports = bind(server);
            Map<String, Listener> endpoints = advertisedEndpoints(config, ports);
            int port = ports.values().iterator().next();
            BrokerLifecycle lifecycle = opened(opened, new BrokerLifecycle(registration(config, meta, endpoints), node.publisher(), node.controller(),
                    config.brokerHeartbeatIntervalMs()));
            MetadataNodes.awaitUnfenced(lifecycle, config);
            server.startAccepting();
            logManager.startBackgroundTasks(config.retentionCheckIntervalMs(), config.flushSchedulerIntervalMs(), config.checkpointIntervalMs());
            cleaner.start();
            metrics.serving(server, controller, logManager, groups, partitions);
            if (transactions != null) {
                metrics.watchTransactions(transactions, partitions);
            }
            log.info("Runnel {} started in {} ms: node {} of cluster {}, listening on {}, metrics {}, log dirs {}, {} topic(s), non-default config {}",
                    version(), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos), meta.nodeId(), meta.clusterId().orElseThrow(),
                    listening(config.brokerListeners(), ports), metrics.address(), config.logDirs(), controller.image().topics().size(),
                    config.nonDefaultValues());
            return new Broker(config, node, lifecycle, logManager, cleaner, replication, groups, transactions, List.of(requestHandlers, controllerBound), purgatoryTimer, server, port,
                    endpoints, metrics);
        } catch (IOException | RuntimeException e) {
            closeAll(opened);
            throw e;
        }
    }

    /**
     * The TLS listeners' stores follow the dynamic configs; applied once now, since dynamic configs already in
     * the image may name other stores than server.properties.
     */
    private static void followStores(DynamicBrokerConfig dynamicConfig, Map<String, ListenerTls> tls) {
        DynamicListenerTls stores = new DynamicListenerTls(tls);
        dynamicConfig.checkWith(stores::check);
        dynamicConfig.follow(stores::apply);
        stores.apply(dynamicConfig.layers().effective());
    }

    /** The connection limits, following their dynamic configs. */
    /** The connection limits, following the dynamic configs and the ip entities' connection_creation_rate quotas. */
    private static ConnectionQuotas connectionQuotas(BrokerConfig config, DynamicBrokerConfig dynamicConfig, ClusterMetadata controller) {
        ConnectionQuotas quotas = new ConnectionQuotas(dynamicConfig.layers().effective().connectionLimits(), config.interBrokerListenerName());
        dynamicConfig.follow(effective -> quotas.reconfigure(effective.connectionLimits()));
        controller.addListener((previous, image) -> quotas.ipCreationRates(image.clientQuotas()));
        quotas.ipCreationRates(controller.image().clientQuotas());
        return quotas;
    }

    /** HTTPS and basic auth of the metrics endpoint, if configured; a key store that cannot be read stops the start in one line. */
    private static EndpointSecurity metricsSecurity(BrokerConfig config) {
        try {
            return EndpointSecurity.of(config.metricsSslConfigs(), config.metricsBasicAuth());
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigException(e.getMessage());
        }
    }

    /** Keeps the transaction coordinator at the cluster's finalized {@code transaction.version}. */
    private static void followTransactionVersion(ClusterMetadata controller, TransactionCoordinatorRuntime transactions) {
        Short current = controller.image().features().get(ClusterController.TRANSACTION_VERSION);
        if (current != null) {
            transactions.onFinalizedTransactionVersion(current);
        }
        controller.addListener((previous, image) -> {
            Short level = image.features().get(ClusterController.TRANSACTION_VERSION);
            if (level != null && !level.equals(previous.features().get(ClusterController.TRANSACTION_VERSION))) {
                transactions.onFinalizedTransactionVersion(level);
            }
        });
    }

    /**
     * Checks of transactional partitions with their coordinator before a produce opens a transaction
     * ({@code transaction.partition.verification.enable}), or null when transactions are off or the
     * check is disabled.
     */
    private static ProduceVerification produceVerification(BrokerConfig config, TransactionCoordinatorRuntime transactions,
                                                           PartitionRegistry partitions) {
        if (transactions == null || !config.transactionPartitionVerificationEnabled()) {
            return null;
        }
        partitions.verifyTransactions();
        return new ProduceVerification(partitions, transactions.partitionVerifier());
    }

    private static BrokerLifecycle.Registration registration(BrokerConfig config, MetaProperties meta, Map<String, Listener> endpoints) {
        List<BrokerEndpoint> advertised = endpoints.values().stream()
                .map(listener -> new BrokerEndpoint(listener.name(), listener.host(), listener.port())).toList();
        return new BrokerLifecycle.Registration(config.nodeId(), Uuid.randomUuid(), meta.directoryId(), meta.clusterId().orElseThrow(), advertised,
                config.brokerRack().orElse(null));
    }

    private static <T extends AutoCloseable> T opened(List<AutoCloseable> opened, T resource) {
        opened.add(resource);
        return resource;
    }

    /** The TLS of each SSL listener, its stores loaded now so that a bad one stops the start before anything else opens. */
    private static Map<String, ListenerTls> listenerTls(BrokerConfig config, List<AutoCloseable> opened) {
        Map<String, ListenerTls> tls = new HashMap<>();
        for (Listener listener : config.brokerListeners()) {
            config.sslConfigs(listener.name()).ifPresent(ssl -> tls.put(listener.name(), opened(opened, ListenerTls.create(listener.name(), ssl))));
        }
        return tls;
    }

    private static Map<String, Integer> bind(KafkaServer server) throws IOException {
        try {
            return server.start();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while binding the listeners", e);
        }
    }

    /** "PLAINTEXT=localhost:9092, INTERNAL=*:9094" for the start-up line. */
    private static String listening(List<Listener> listeners, Map<String, Integer> ports) {
        return String.join(", ", listeners.stream()
                .map(listener -> listener.name() + "=" + (listener.host().isEmpty() ? "*" : listener.host()) + ":" + ports.get(listener.name()))
                .toList());
    }

    /** Closes in reverse order of opening; a failure to close one does not stop the others. */
    private static void closeAll(List<AutoCloseable> opened) {
        for (int i = opened.size() - 1; i >= 0; i--) {
            try {
                opened.get(i).close();
            } catch (Exception e) {
                log.warn("Cleanup after a failed start: {}", e.toString());
            }
        }
    }

    private static Map<ApiKeys, ApiHandler> handlers(BrokerConfig config, ClusterMetadata controller, PartitionRegistry partitions,
                                                     GroupCoordinatorRuntime groups, TopicCreator topicCreator, Purgatory fetches, Purgatory produces,
                                                     SupportedApis supportedApis,
                                                     ClusterIdentity identity, TopicTraffic traffic, RequestAuthorizer authorizer, FetchQuota fetchQuota) {
        Map<ApiKeys, ApiHandler> handlers = new EnumMap<>(ApiKeys.class);
        handlers.put(ApiKeys.API_VERSIONS, new ApiVersionsHandler(supportedApis, identity, controller::image,
                config.transactionsEnabled() && config.transactionPartitionVerificationEnabled()));
        ClusterView cluster = new ClusterView(controller, config.brokerListeners().get(0).name());
        handlers.put(ApiKeys.METADATA, new MetadataHandler(controller, cluster, topicCreator, config.autoCreateTopicsEnable(), authorizer));
        handlers.put(ApiKeys.DESCRIBE_CLUSTER, new DescribeClusterHandler(cluster, authorizer));
        handlers.put(ApiKeys.SASL_HANDSHAKE, new SaslHandshakeHandler());
        handlers.put(ApiKeys.SASL_AUTHENTICATE, new SaslAuthenticateHandler());
        handlers.put(ApiKeys.DESCRIBE_USER_SCRAM_CREDENTIALS, new DescribeUserScramCredentialsHandler(controller));
        handlers.put(ApiKeys.ALTER_USER_SCRAM_CREDENTIALS, new AlterUserScramCredentialsHandler(controller));
        handlers.put(ApiKeys.DESCRIBE_CLIENT_QUOTAS, new DescribeClientQuotasHandler(controller));
        handlers.put(ApiKeys.ALTER_CLIENT_QUOTAS, new AlterClientQuotasHandler(controller));
        handlers.put(ApiKeys.FETCH, new FetchHandler(partitions, controller, cluster, fetches, config.fetchMaxBytes(), traffic, authorizer, fetchQuota));
        handlers.put(ApiKeys.LIST_OFFSETS, new ListOffsetsHandler(partitions, authorizer));
        handlers.put(ApiKeys.OFFSET_FOR_LEADER_EPOCH, new OffsetForLeaderEpochHandler(partitions, authorizer));
        handlers.put(ApiKeys.JOIN_GROUP, new JoinGroupHandler(groups));
        handlers.put(ApiKeys.SYNC_GROUP, new SyncGroupHandler(groups));
        handlers.put(ApiKeys.HEARTBEAT, new HeartbeatHandler(groups));
        handlers.put(ApiKeys.LEAVE_GROUP, new LeaveGroupHandler(groups));
        handlers.put(ApiKeys.OFFSET_COMMIT, new OffsetCommitHandler(groups, authorizer, controller::image));
        handlers.put(ApiKeys.OFFSET_FETCH, new OffsetFetchHandler(groups, authorizer, controller::image));
        handlers.put(ApiKeys.OFFSET_DELETE, new OffsetDeleteHandler(groups, authorizer));
        handlers.put(ApiKeys.LIST_GROUPS, new ListGroupsHandler(groups, authorizer));
        handlers.put(ApiKeys.DESCRIBE_GROUPS, new DescribeGroupsHandler(groups, authorizer));
        handlers.put(ApiKeys.DELETE_GROUPS, new DeleteGroupsHandler(groups, authorizer));
        handlers.put(ApiKeys.CONSUMER_GROUP_HEARTBEAT, new ConsumerGroupHeartbeatHandler(groups));
        handlers.put(ApiKeys.CONSUMER_GROUP_DESCRIBE, new ConsumerGroupDescribeHandler(groups, authorizer));
        return handlers;
    }

    /** The transaction APIs, served only with {@code runnel.transactions.enable}. */
    private static void addTransactionHandlers(Map<ApiKeys, ApiHandler> handlers, TransactionCoordinatorRuntime transactions, ClusterView cluster,
                                               BrokerConfig config, RequestAuthorizer authorizer) {
        handlers.put(ApiKeys.ADD_PARTITIONS_TO_TXN, new AddPartitionsToTxnHandler(transactions, cluster));
        handlers.put(ApiKeys.ADD_OFFSETS_TO_TXN, new AddOffsetsToTxnHandler(transactions, cluster, config.offsetsTopicNumPartitions()));
        handlers.put(ApiKeys.END_TXN, new EndTxnHandler(transactions));
        handlers.put(ApiKeys.DESCRIBE_TRANSACTIONS, new DescribeTransactionsHandler(transactions, authorizer));
        handlers.put(ApiKeys.LIST_TRANSACTIONS, new ListTransactionsHandler(transactions, authorizer));
    }

    private static void addAdminHandlers(Map<ApiKeys, ApiHandler> handlers, BrokerConfig config, ClusterMetadata controller,
                                         PartitionRegistry partitions, LogManager logManager, TopicConfigs topicConfigs,
                                         DynamicBrokerConfig dynamicConfig, TopicCreator topicCreator, RequestAuthorizer authorizer,
                                         ControllerMutationQuotas mutationQuotas) {
        ConfigAlterer alterer = new ConfigAlterer(controller, topicConfigs, dynamicConfig);
        handlers.put(ApiKeys.CREATE_TOPICS, new CreateTopicsHandler(topicCreator, topicConfigs, dynamicConfig, authorizer, mutationQuotas));
        handlers.put(ApiKeys.DESCRIBE_CONFIGS, new DescribeConfigsHandler(controller, topicConfigs, dynamicConfig, authorizer));
        handlers.put(ApiKeys.ALTER_CONFIGS, new AlterConfigsHandler(alterer, authorizer));
        handlers.put(ApiKeys.INCREMENTAL_ALTER_CONFIGS, new IncrementalAlterConfigsHandler(alterer, authorizer));
        handlers.put(ApiKeys.CREATE_PARTITIONS, new CreatePartitionsHandler(controller, authorizer, mutationQuotas));
        handlers.put(ApiKeys.DELETE_RECORDS, new DeleteRecordsHandler(partitions, controller, topicConfigs, logManager, authorizer));
        handlers.put(ApiKeys.DESCRIBE_LOG_DIRS, new DescribeLogDirsHandler(logManager));
        handlers.put(ApiKeys.DESCRIBE_PRODUCERS, new DescribeProducersHandler(partitions, authorizer));
        handlers.put(ApiKeys.ELECT_LEADERS, new ElectLeadersHandler(controller));
        handlers.put(ApiKeys.UPDATE_FEATURES, new UpdateFeaturesHandler(controller));
        handlers.put(ApiKeys.ALTER_PARTITION_REASSIGNMENTS, new AlterPartitionReassignmentsHandler(controller));
        handlers.put(ApiKeys.LIST_PARTITION_REASSIGNMENTS, new ListPartitionReassignmentsHandler(controller));
        handlers.put(ApiKeys.DESCRIBE_QUORUM, DescribeQuorumHandler.forConfig(controller, config));
        handlers.put(ApiKeys.DESCRIBE_TOPIC_PARTITIONS, io.runnel.broker.handler.DescribeTopicPartitionsHandler.forConfig(controller, config, authorizer));
    }

    /** The authorizer {@code authorizer.class.name} chooses, following the ACLs of the metadata image. */
    private static RequestAuthorizer authorizer(BrokerConfig config, ClusterMetadata controller) {
        RequestAuthorizer authorizer = config.authorizerConfig().authorizer();
        if (authorizer instanceof StandardAuthorizer standard) {
            standard.load(controller.image().acls());
            controller.addListener(standard);
        }
        return authorizer;
    }

    private static void addAclHandlers(Map<ApiKeys, ApiHandler> handlers, ClusterMetadata controller, RequestAuthorizer authorizer) {
        handlers.put(ApiKeys.CREATE_ACLS, new CreateAclsHandler(controller, authorizer));
        handlers.put(ApiKeys.DESCRIBE_ACLS, new DescribeAclsHandler(controller, authorizer));
        handlers.put(ApiKeys.DELETE_ACLS, new DeleteAclsHandler(controller, authorizer));
    }

    private static void checkServed(Map<ApiKeys, ApiHandler> handlers, SupportedApis supportedApis) {
        if (!handlers.keySet().equals(supportedApis.asMap().keySet())) {
            throw new IllegalStateException("advertised APIs " + supportedApis.asMap().keySet() + " differ from handled " + handlers.keySet());
        }
    }

    /**
     * Where each broker listener is advertised, by listener name in the order of {@code listeners}: the
     * advertised host (this machine's name when empty) and port (the bound one when 0).
     */
    /**
     * The mechanisms of every SASL listener, with their callback handlers configured from the listener's
     * JAAS line; SCRAM logins read credentials from the current metadata image.
     */
    private static SaslListeners saslListeners(BrokerConfig config, ClusterMetadata controller) {
        ScramCredentialLookup scram = (user, mechanism) -> {
            MetadataRecord.UserScramCredentialRecord credential = controller.image().scramCredential(user, mechanism.type());
            return credential == null ? null
                    : new ScramCredential(credential.salt(), credential.storedKey(), credential.serverKey(), credential.iterations());
        };
        Map<String, SaslMechanisms> byListener = new LinkedHashMap<>();
        config.saslListeners().forEach((name, sasl) -> byListener.put(name, SaslMechanisms.of(sasl, scram)));
        return new SaslListeners(byListener, config.saslServerMaxReceiveSize(), config.failedAuthenticationDelayMs(), config.connectionsMaxReauthMs());
    }

    private static Map<String, Listener> advertisedEndpoints(BrokerConfig config, Map<String, Integer> boundPorts) throws IOException {
        Map<String, Listener> endpoints = new LinkedHashMap<>();
        String localHost = null;
        for (Map.Entry<String, Integer> bound : boundPorts.entrySet()) {
            Listener advertised = config.advertisedListener(bound.getKey());
            if (advertised.host().isEmpty() && localHost == null) {
                localHost = InetAddress.getLocalHost().getCanonicalHostName();
            }
            endpoints.put(bound.getKey(), new Listener(advertised.name(), advertised.host().isEmpty() ? localHost : advertised.host(),
                    advertised.port() == 0 ? bound.getValue() : advertised.port()));
        }
        return Collections.unmodifiableMap(endpoints);
    }

    private static String version() {
        String version = Broker.class.getPackage().getImplementationVersion();
        return version != null ? version : "dev";
    }

    /** The port the first broker listener is bound to (the configured one, or the one picked for port 0). */
    public int boundPort() {
        return boundPort;
    }

    /**
     * The advertised endpoint of every broker listener (not the controller listener), by listener name in
     * the order of {@code listeners}, with the bound port where 0 was configured; what broker registration
     * publishes. The security protocol of each is {@link BrokerConfig#securityProtocol(String)}.
     */
    public Map<String, Listener> advertisedEndpoints() {
        return advertisedEndpoints;
    }

    /** The node id of the active controller, as this node knows it. */
    public java.util.OptionalInt activeControllerId() {
        return node.activeControllerId();
    }

    /** The port of the HTTP metrics endpoint, or -1 when it is off. */
    public int metricsPort() {
        return metrics.port();
    }

    /** Shuts down cleanly: stop accepting, answer what is in flight, then flush and checkpoint every log. */
    @Override
    public void close() {
        long startNanos = System.nanoTime();
        metrics.stopping();
        if (config.controlledShutdownEnable() && !lifecycle.controlledShutdown(CONTROLLED_SHUTDOWN_MS)) {
            log.warn("Controlled shutdown did not complete (no controller agreed within {} ms); the partitions this broker leads move "
                    + "once its session expires", CONTROLLED_SHUTDOWN_MS);
        }
        lifecycle.close();
        server.stopAccepting();
        server.stopReading();
        groups.unload();
        try {
            if (!server.awaitInFlight(SHUTDOWN_DRAIN_SECONDS, TimeUnit.SECONDS)) {
                log.warn("Requests still in flight after {} s; closing anyway", SHUTDOWN_DRAIN_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        server.close();
        groups.close();
        if (transactions != null) {
            transactions.close();
        }
        requestHandlers.forEach(ExecutorService::shutdown);
        purgatoryTimer.shutdownNow();
        try {
            for (ExecutorService pool : requestHandlers) {
                pool.awaitTermination(SHUTDOWN_DRAIN_SECONDS, TimeUnit.SECONDS);
            }
            cleaner.close();
            replication.close();
            // the metadata node first: its listeners open and delete logs, which must not race the close of the logs
            node.close();
            logManager.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        metrics.close();
        log.info("Runnel stopped in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos));
    }
}
