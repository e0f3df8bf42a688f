package io.runnel.metadata.controller;

import io.runnel.metadata.BrokerRegistration;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.MetadataRecord;
import io.runnel.metadata.MetadataRecord.BrokerRegistrationChangeRecord;
import io.runnel.metadata.TopicMetadata;
import io.runnel.metadata.controller.ControllerCommand.BrokerHeartbeat;
import io.runnel.metadata.controller.ControllerCommand.ElectLeaders;
import io.runnel.metadata.controller.ControllerCommand.PartitionResult;
import io.runnel.metadata.controller.ControllerCommand.HeartbeatReply;
import io.runnel.metadata.controller.ControllerCommand.PartitionId;
import io.runnel.metadata.controller.ControllerCommand.RegisterBroker;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.BrokerIdNotRegisteredException;
import org.apache.kafka.common.errors.DuplicateBrokerRegistrationException;
import org.apache.kafka.common.errors.InconsistentClusterIdException;
import org.apache.kafka.common.errors.StaleBrokerEpochException;
import org.apache.kafka.common.errors.UnknownTopicIdException;
import org.apache.kafka.common.protocol.Errors;

/**
 * The controller's decisions, as a pure state machine: each command is checked against the committed
 * image and answered with the records of its change and a reply ({@link ControllerResult}); nothing
 * changes here until the records are committed and {@link #replay replayed}. It owns what KRaft's
 * controller keeps in memory only: when each broker last heartbeated. Time comes in as an argument,
 * so a simulation drives it with a manual clock. Not thread-safe: one thread (the active controller's)
 * calls it.
 *
 * <p>Leadership rules, as Kafka 4's with eligible leader replicas (KIP-966; see {@link PartitionUpdate}):
 * a broker that is fenced, shuts down or comes back as a new process leaves the ISR of its partitions
 * (below min.insync.replicas it stays an eligible leader; the last member keeps the partition's records
 * and waits, the partition offline, until it returns); a leader is an active in-sync replica, else an
 * active eligible one, else the last known leader, else, where the topic allows unclean elections, any
 * active replica. A broker back from an unclean shutdown is no longer eligible. Leaders change on
 * broker events, on AlterPartition, on reassignments and on elections asked for.
 */
public final class ClusterController {

    private final long sessionTimeoutMs;
    private final ReplicaPlacer placer;
    private final ControllerConfig config;
    private final long activatedAtMs;
    private final Map<Integer, Long> lastContactMs = new HashMap<>();
    private final Map<Integer, Long> registrationOffsets = new HashMap<>();
    private MetadataImage image;

    /**
     * A controller that became active at {@code nowMs} over the committed {@code image}. Brokers get a
     * full session from then on, as their earlier heartbeats went to another controller.
     */
    public ClusterController(MetadataImage image, long sessionTimeoutMs, Random random, long nowMs) {
        this(image, sessionTimeoutMs, ControllerConfig.defaults(), random, nowMs);
    }

    /**
     * A controller as {@link #ClusterController(MetadataImage, long, Random, long)}, falling back to
     * {@code config} (the static broker configs of this node) where the metadata sets no value.
     */
    public ClusterController(MetadataImage image, long sessionTimeoutMs, ControllerConfig config, Random random, long nowMs) {
        this.config = config;
        this.image = image;
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.placer = new ReplicaPlacer(random);
        this.activatedAtMs = nowMs;
        // Registration offsets are kept in memory only: a broker registered under an earlier controller
        // must have caught up with the whole log this one took over, which covers its registration.
        image.brokers().keySet().forEach(id -> registrationOffsets.put(id, image.offset()));
    }

    /** The feature of the transaction protocol (KIP-890); level 2 is the second protocol, with an epoch bump per transaction. */
    public static final String TRANSACTION_VERSION = "transaction.version";
    /** The levels of {@link #TRANSACTION_VERSION} this cluster's nodes serve (ApiVersions' supported range, UpdateFeatures' bounds). */
    public static final short MIN_TRANSACTION_VERSION = 0;
    public static final short MAX_TRANSACTION_VERSION = 2;
    /** The level new clusters finalize, as Kafka 4.x does. */
    public static final short FINALIZED_TRANSACTION_VERSION = 2;

    /** The committed image the next command is checked against. */
    public MetadataImage image() {
        return image;
    }

    /** Takes the image after the last result's records were committed. */
    public void replay(MetadataImage committed) {
        this.image = committed;
    }

    /**
     * The records an active controller appends first: the cluster id, if the log has none yet, and the
     * finalized {@code transaction.version}, if not yet finalized (so clusters created before it get it
     * on their next controller activation).
     */
    public List<MetadataRecord> bootstrap(String proposedClusterId) {
        List<MetadataRecord> records = new ArrayList<>();
        if (image.clusterId() == null) {
            records.add(new MetadataRecord.ClusterIdRecord(proposedClusterId));
        }
        if (!image.features().containsKey(TRANSACTION_VERSION)) {
            records.add(new MetadataRecord.FeatureLevelRecord(TRANSACTION_VERSION, FINALIZED_TRANSACTION_VERSION));
        }
        return records;
    }

    /**
     * Decides one command.
     *
     * @throws org.apache.kafka.common.errors.ApiException with Kafka's error for a command that cannot be carried out
     */
    public ControllerResult handle(ControllerCommand command, long nowMs) {
        if (command instanceof ControllerCommand.CreateTopic create) {
            return new TopicCommands(image, placer).create(create);
        }
        if (command instanceof ControllerCommand.DeleteTopic delete) {
            TopicMetadata topic = topic(delete.topicId());
            return new ControllerResult(List.of(new MetadataRecord.RemoveTopicRecord(topic.id())), topic);
        }
        if (command instanceof ControllerCommand.CreatePartitions create) {
            return new TopicCommands(image, placer).createPartitions(topic(create.topicId()), create);
        }
        if (command instanceof ControllerCommand.AlterTopicConfigs alter) {
            TopicMetadata topic = topic(alter.topicId());
            return reconfigure(new MetadataRecord.TopicConfigsChanged(alter.topicId(), alter.configs()), t -> t.id().equals(topic.id()));
        }
        if (command instanceof ControllerCommand.AlterBrokerConfigs alter) {
            return reconfigure(new MetadataRecord.BrokerConfigsChanged(alter.broker(), alter.configs()), t -> true);
        }
        if (command instanceof ControllerCommand.AlterScramCredentials alter) {
            return new ControllerResult(alter.changes(), null);
        }
        if (command instanceof ControllerCommand.AlterClientQuotas alter) {
            return new ControllerResult(List.copyOf(alter.changes()), null);
        }
        if (command instanceof ControllerCommand.AllocateProducerIds allocate) {
            long first = image.nextProducerId();
            return new ControllerResult(List.of(new MetadataRecord.ProducerIdsAllocated(first + allocate.count())), first);
        }
        if (command instanceof ElectLeaders elect) {
            return electLeaders(elect);
        }
        if (command instanceof ControllerCommand.CreateAcls create) {
            return new ControllerResult(AclCommands.create(image, create), null);
        }
        if (command instanceof ControllerCommand.DeleteAcls delete) {
            return new ControllerResult(AclCommands.delete(image, delete), null);
        }
        if (command instanceof ControllerCommand.AlterReassignments alter) {
            PartitionChanges changes = new PartitionChanges(image, config);
            Reassignments reassignments = new Reassignments(changes, alter.allowReplicationFactorChange());
            List<PartitionResult> results = new ArrayList<>();
            for (ControllerCommand.Reassignment reassignment : alter.reassignments()) {
                results.add(reassignments.apply(reassignment));
            }
            return new ControllerResult(changes.records(), results);
        }
        if (command instanceof ControllerCommand.AlterPartition alter) {
            IsrChanges.checkSender(image, alter);
            PartitionChanges changes = new PartitionChanges(image, config);
            List<ControllerCommand.IsrChangeResult> results = new IsrChanges(changes).apply(alter);
            return new ControllerResult(changes.records(), results);
        }
        if (command instanceof ControllerCommand.UpdateFeatures update) {
            return FeatureUpdates.apply(image, update);
        }
        if (command instanceof RegisterBroker register) {
            return register(register, nowMs);
        }
        return heartbeat((BrokerHeartbeat) command, nowMs);
    }

    /**
     * A config change and what it means for leadership, as in Kafka with eligible leader replicas on: a
     * topic whose effective min.insync.replicas changed forgets its ELR and last known leaders (they were
     * chosen against the old value), and a leaderless partition of a topic that now allows unclean
     * elections gets any live replica as leader.
     */
    private ControllerResult reconfigure(MetadataRecord configRecord, java.util.function.Predicate<TopicMetadata> mayChange) {
        ReplicationConfigs before = new ReplicationConfigs(image, config);
        PartitionChanges changes = new PartitionChanges(image, config);
        changes.add(configRecord);
        ReplicationConfigs after = changes.configs();
        changes.clearEligibleLeaders(topic -> mayChange.test(topic)
                && before.minInsyncReplicas(image.topic(topic.id()).orElseThrow()) != after.minInsyncReplicas(topic));
        changes.electLeaderless();
        return new ControllerResult(changes.records(), null);
    }

    /** The records that fence every unfenced broker whose session expired by {@code nowMs}, and move its leaderships. */
    public List<MetadataRecord> fenceExpiredBrokers(long nowMs) {
        PartitionChanges changes = new PartitionChanges(image, config);
        // in id order: which broker is fenced first decides where leaderships go, and must not depend on hash order
        for (BrokerRegistration broker : image.brokers().values().stream().sorted(java.util.Comparator.comparingInt(BrokerRegistration::id)).toList()) {
            if (!broker.fenced() && !hasSession(broker.id(), nowMs)) {
                fence(broker, changes);
            }
        }
        return changes.records();
    }

    /**
     * The records that fence broker {@code brokerId} because its listener refuses connections (its
     * process is gone; see {@link DeadBrokerDetector}), and move its leaderships; none unless the broker
     * is registered, unfenced and still at {@code brokerEpoch}: a new process, or a broker already
     * fenced, is not what the detector saw die.
     */
    public List<MetadataRecord> fenceDeadBroker(int brokerId, long brokerEpoch) {
        BrokerRegistration broker = image.brokers().get(brokerId);
        if (broker == null || broker.fenced() || broker.epoch() != brokerEpoch) {
            return List.of();
        }
        PartitionChanges changes = new PartitionChanges(image, config);
        fence(broker, changes);
        return changes.records();
    }

    /** Fences {@code broker} and takes it out of the ISRs and leaderships of its partitions. */
    private static void fence(BrokerRegistration broker, PartitionChanges changes) {
        changes.add(new BrokerRegistrationChangeRecord(broker.id(), broker.epoch(), true, false));
        changes.removeBroker(broker.id());
    }

    /**
     * One pass of {@code auto.leader.rebalance.enable}: the records that move leadership back to
     * preferred replicas (see {@link LeaderBalancer}); the reply is true if the pass stopped at its
     * bound with more to move, so the caller runs another soon.
     */
    public ControllerResult balanceLeaders() {
        PartitionChanges changes = new PartitionChanges(image, config);
        boolean more = new LeaderBalancer(changes, config.leaderImbalancePerBrokerPercentage()).balance();
        return new ControllerResult(changes.records(), more);
    }

    private boolean hasSession(int brokerId, long nowMs) {
        return nowMs - lastContactMs.getOrDefault(brokerId, activatedAtMs) <= sessionTimeoutMs;
    }

    private ControllerResult register(RegisterBroker register, long nowMs) {
        if (register.clusterId() != null && image.clusterId() != null && !register.clusterId().equals(image.clusterId())) {
            throw new InconsistentClusterIdException("Expected cluster ID " + image.clusterId() + " but broker " + register.brokerId()
                    + " has cluster ID " + register.clusterId() + " in its meta.properties.");
        }
        BrokerRegistration existing = image.brokers().get(register.brokerId());
        if (existing != null && !existing.incarnationId().equals(register.incarnationId())
                && !existing.directoryId().equals(register.directoryId()) && hasSession(existing.id(), nowMs)) {
            throw new DuplicateBrokerRegistrationException("Another broker is registered with node id " + register.brokerId()
                    + " (incarnation " + existing.incarnationId() + ") and is still heartbeating.");
        }
        long epoch = image.highestBrokerEpoch() + 1;
        PartitionChanges changes = new PartitionChanges(image, config);
        changes.add(new MetadataRecord.RegisterBrokerRecord(new BrokerRegistration(register.brokerId(), epoch, register.incarnationId(),
                register.directoryId(), register.endpoints(), register.rack(), true, false)));
        // The new process is fenced: the partitions the old one led need other leaders meanwhile.
        changes.removeBroker(register.brokerId());
        if (existing != null && !existing.incarnationId().equals(register.incarnationId()) && register.previousBrokerEpoch() != existing.epoch()) {
            changes.forgetUncleanBroker(register.brokerId());
        }
        lastContactMs.put(register.brokerId(), nowMs);
        registrationOffsets.put(register.brokerId(), image.offset() + 1);
        return new ControllerResult(changes.records(), epoch);
    }

    private ControllerResult heartbeat(BrokerHeartbeat heartbeat, long nowMs) {
        BrokerRegistration broker = image.brokers().get(heartbeat.brokerId());
        if (broker == null) {
            throw new BrokerIdNotRegisteredException("Broker " + heartbeat.brokerId() + " is not registered.");
        }
        if (broker.epoch() != heartbeat.brokerEpoch()) {
            throw new StaleBrokerEpochException("Broker " + heartbeat.brokerId() + " sent epoch " + heartbeat.brokerEpoch()
                    + " but is registered with epoch " + broker.epoch() + ".");
        }
        lastContactMs.put(broker.id(), nowMs);
        PartitionChanges changes = new PartitionChanges(image, config);
        if (heartbeat.wantShutDown()) {
            return controlledShutdown(broker, changes);
        }
        boolean caughtUp = heartbeat.metadataOffset() >= registrationOffsets.getOrDefault(broker.id(), 0L);
        if (broker.fenced() && caughtUp) {
            changes.add(new BrokerRegistrationChangeRecord(broker.id(), broker.epoch(), false, false));
            changes.electLeaderless();
        }
        return new ControllerResult(changes.records(), new HeartbeatReply(changes.image().brokers().get(broker.id()).fenced(), false));
    }

    /**
     * A broker that wants to shut down: it leaves the ISRs and hands its leaderships over; once it leads
     * nothing it is fenced and told to go (with replication factor 1 its partitions wait offline for it).
     */
    private ControllerResult controlledShutdown(BrokerRegistration broker, PartitionChanges changes) {
        if (broker.fenced()) {
            return new ControllerResult(List.of(), new HeartbeatReply(true, true));
        }
        changes.removeBroker(broker.id());
        boolean leadsNothing = changes.leaderships(broker.id()) == 0;
        changes.add(new BrokerRegistrationChangeRecord(broker.id(), broker.epoch(), leadsNothing, !leadsNothing));
        return new ControllerResult(changes.records(), new HeartbeatReply(leadsNothing, leadsNothing));
    }

    private ControllerResult electLeaders(ElectLeaders elect) {
        PartitionChanges changes = new PartitionChanges(image, config);
        List<PartitionResult> results = new ArrayList<>();
        for (PartitionId id : elect.partitions()) {
            TopicMetadata topic = image.topic(id.topicId()).orElse(null);
            if (topic == null || id.partition() < 0 || id.partition() >= topic.partitionCount()) {
                results.add(new PartitionResult(id, Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), "The partition does not exist."));
                continue;
            }
            Errors error = elect.unclean() ? changes.electUnclean(id) : changes.electPreferred(id);
            results.add(new PartitionResult(id, error.code(), error == Errors.NONE ? null : error.message()));
        }
        return new ControllerResult(changes.records(), results);
    }

    private TopicMetadata topic(Uuid topicId) {
        return image.topic(topicId).orElseThrow(() -> new UnknownTopicIdException("Topic id " + topicId + " not found."));
    }
}
