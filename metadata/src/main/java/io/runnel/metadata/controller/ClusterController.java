package io.runnel.metadata.controller;

import io.runnel.metadata.BrokerRegistration;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.MetadataRecord;
import io.runnel.metadata.MetadataRecord.BrokerRegistrationChangeRecord;
import io.runnel.metadata.MetadataRecord.PartitionChangeRecord;
import io.runnel.metadata.PartitionRegistration;
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
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.StaleBrokerEpochException;
import org.apache.kafka.common.errors.TopicExistsException;
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
 * <p>Leadership rules, as Kafka's: a leader is the first replica, in replica order, that is in the
 * ISR and on an active broker; a broker that is fenced or shuts down leaves the ISR of its partitions
 * unless it is the last member (then the partition is offline until it returns, so no acknowledged
 * record is given up); a returning broker leads the offline partitions whose ISR it is in.
 */
public final class ClusterController {

    private final long sessionTimeoutMs;
    private final ReplicaPlacer placer;
    private final long activatedAtMs;
    private final Map<Integer, Long> lastContactMs = new HashMap<>();
    private final Map<Integer, Long> registrationOffsets = new HashMap<>();
    private MetadataImage image;

    /**
     * A controller that became active at {@code nowMs} over the committed {@code image}. Brokers get a
     * full session from then on, as their earlier heartbeats went to another controller.
     */
    public ClusterController(MetadataImage image, long sessionTimeoutMs, Random random, long nowMs) {
        this.image = image;
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.placer = new ReplicaPlacer(random);
        this.activatedAtMs = nowMs;
        // Registration offsets are kept in memory only: a broker registered under an earlier controller
        // must have caught up with the whole log this one took over, which covers its registration.
        image.brokers().keySet().forEach(id -> registrationOffsets.put(id, image.offset()));
    }

    /** The committed image the next command is checked against. */
    public MetadataImage image() {
        return image;
    }

    /** Takes the image after the last result's records were committed. */
    public void replay(MetadataImage committed) {
        this.image = committed;
    }

    /** The records an active controller appends first: the cluster id, if the log has none yet. */
    public List<MetadataRecord> bootstrap(String proposedClusterId) {
        return image.clusterId() == null ? List.of(new MetadataRecord.ClusterIdRecord(proposedClusterId)) : List.of();
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
            topic(alter.topicId());
            return new ControllerResult(List.of(new MetadataRecord.TopicConfigsChanged(alter.topicId(), alter.configs())), null);
        }
        if (command instanceof ControllerCommand.AlterBrokerConfigs alter) {
            return new ControllerResult(List.of(new MetadataRecord.BrokerConfigsChanged(alter.broker(), alter.configs())), null);
        }
        if (command instanceof ControllerCommand.AllocateProducerIds allocate) {
            long first = image.nextProducerId();
            return new ControllerResult(List.of(new MetadataRecord.ProducerIdsAllocated(first + allocate.count())), first);
        }
        if (command instanceof ElectLeaders elect) {
            return electLeaders(elect);
        }
        if (command instanceof ControllerCommand.AlterReassignments alter) {
            return new ControllerResult(List.of(), alter.reassignments().stream().map(this::reassign).toList());
        }
        if (command instanceof ControllerCommand.AlterPartition alter) {
            IsrChanges.checkSender(image, alter);
            PartitionChanges changes = new PartitionChanges(image);
            List<ControllerCommand.IsrChangeResult> results = new IsrChanges(changes).apply(alter);
            return new ControllerResult(changes.records(), results);
        }
        if (command instanceof RegisterBroker register) {
            return register(register, nowMs);
        }
        return heartbeat((BrokerHeartbeat) command, nowMs);
    }

    /** The records that fence every unfenced broker whose session expired by {@code nowMs}, and move its leaderships. */
    public List<MetadataRecord> fenceExpiredBrokers(long nowMs) {
        PartitionChanges changes = new PartitionChanges(image);
        // in id order: which broker is fenced first decides where leaderships go, and must not depend on hash order
        for (BrokerRegistration broker : image.brokers().values().stream().sorted(java.util.Comparator.comparingInt(BrokerRegistration::id)).toList()) {
            if (!broker.fenced() && !hasSession(broker.id(), nowMs)) {
                changes.add(new BrokerRegistrationChangeRecord(broker.id(), broker.epoch(), true, false));
                changes.removeBroker(broker.id());
            }
        }
        return changes.records();
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
        PartitionChanges changes = new PartitionChanges(image);
        changes.add(new MetadataRecord.RegisterBrokerRecord(new BrokerRegistration(register.brokerId(), epoch, register.incarnationId(),
                register.directoryId(), register.endpoints(), register.rack(), true, false)));
        // The new process is fenced: the partitions the old one led need other leaders meanwhile.
        changes.removeBroker(register.brokerId());
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
        PartitionChanges changes = new PartitionChanges(image);
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
        PartitionChanges changes = new PartitionChanges(image);
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

    /**
     * A reassignment's answer: to the replicas a partition has, done at once; a move needs replicas that
     * copy data, which come with replication, so it is refused for now, after Kafka's checks of the list.
     */
    private PartitionResult reassign(ControllerCommand.Reassignment reassignment) {
        PartitionId id = reassignment.partition();
        TopicMetadata topic = image.topic(id.topicId()).orElse(null);
        if (topic == null || id.partition() < 0 || id.partition() >= topic.partitionCount()) {
            return new PartitionResult(id, Errors.UNKNOWN_TOPIC_OR_PARTITION.code(), "The partition does not exist.");
        }
        if (reassignment.replicas() == null) {
            return new PartitionResult(id, Errors.NO_REASSIGNMENT_IN_PROGRESS.code(), "No partition reassignment is in progress.");
        }
        try {
            new TopicCommands(image, placer).checkReplicas(reassignment.replicas());
        } catch (InvalidReplicaAssignmentException e) {
            return new PartitionResult(id, Errors.INVALID_REPLICA_ASSIGNMENT.code(), e.getMessage());
        }
        if (reassignment.replicas().equals(topic.partition(id.partition()).replicas())) {
            return new PartitionResult(id, Errors.NONE.code(), null);
        }
        return new PartitionResult(id, Errors.INVALID_REPLICA_ASSIGNMENT.code(),
                "Moving replicas needs the data copy of replication, which Runnel does not do yet.");
    }

    private TopicMetadata topic(Uuid topicId) {
        return image.topic(topicId).orElseThrow(() -> new UnknownTopicIdException("Topic id " + topicId + " not found."));
    }

    /** Checks and builds the records of topic and partition creation. */
    private record TopicCommands(MetadataImage image, ReplicaPlacer placer) {

        ControllerResult create(ControllerCommand.CreateTopic create) {
            checkCreatable(create.name());
            List<List<Integer>> assignments = create.assignments().isEmpty()
                    ? placer.place(activeBrokers(), 0, create.partitions(), create.replicationFactor())
                    : explicitAssignments(create.assignments());
            Uuid id = create.validateOnly() ? Uuid.ZERO_UUID : Uuid.randomUuid();
            List<MetadataRecord> records = new ArrayList<>();
            records.add(new MetadataRecord.TopicRecord(create.name(), id));
            List<PartitionRegistration> partitions = new ArrayList<>();
            for (int i = 0; i < assignments.size(); i++) {
                PartitionRegistration partition = newPartition(assignments.get(i));
                partitions.add(partition);
                records.add(new MetadataRecord.PartitionRecord(id, i, partition));
            }
            if (!create.configs().isEmpty()) {
                records.add(new MetadataRecord.TopicConfigsChanged(id, create.configs()));
            }
            TopicMetadata topic = new TopicMetadata(create.name(), id, partitions, create.configs());
            return new ControllerResult(create.validateOnly() ? List.of() : records, topic);
        }

        ControllerResult createPartitions(TopicMetadata topic, ControllerCommand.CreatePartitions create) {
            int current = topic.partitionCount();
            if (create.partitionCount() <= current) {
                throw new InvalidPartitionsException("Topic currently has " + current + " partitions, which is higher than or equal to the requested "
                        + create.partitionCount() + ".");
            }
            int added = create.partitionCount() - current;
            List<List<Integer>> assignments;
            if (create.assignments().isEmpty()) {
                assignments = placer.place(activeBrokers(), current, added, topic.partition(0).replicas().size());
            } else {
                if (create.assignments().size() != added) {
                    throw new InvalidReplicaAssignmentException("Attempted to add " + added + " additional partition(s), but only "
                            + create.assignments().size() + " assignment(s) were specified.");
                }
                assignments = create.assignments();
                int replicationFactor = topic.partition(0).replicas().size();
                for (List<Integer> replicas : assignments) {
                    checkReplicas(replicas);
                    if (replicas.size() != replicationFactor) {
                        throw new InvalidReplicaAssignmentException("The manual partition assignment includes a partition with " + replicas.size()
                                + " replica(s), but this is not consistent with previous partitions, which have " + replicationFactor + " replica(s).");
                    }
                }
            }
            List<MetadataRecord> records = new ArrayList<>();
            for (int i = 0; i < added; i++) {
                records.add(new MetadataRecord.PartitionRecord(topic.id(), current + i, newPartition(assignments.get(i))));
            }
            return new ControllerResult(create.validateOnly() ? List.of() : records, null);
        }

        private PartitionRegistration newPartition(List<Integer> replicas) {
            int leader = replicas.stream().filter(this::isActive).findFirst().orElse(PartitionRegistration.NO_LEADER);
            return PartitionRegistration.initial(replicas, leader);
        }

        private boolean isActive(int brokerId) {
            BrokerRegistration broker = image.brokers().get(brokerId);
            return broker != null && broker.isActive();
        }

        private List<BrokerRegistration> activeBrokers() {
            return image.brokers().values().stream().filter(BrokerRegistration::isActive).toList();
        }

        private List<List<Integer>> explicitAssignments(Map<Integer, List<Integer>> assignments) {
            List<List<Integer>> ordered = new ArrayList<>();
            for (int i = 0; i < assignments.size(); i++) {
                List<Integer> replicas = assignments.get(i);
                if (replicas == null) {
                    throw new InvalidReplicaAssignmentException("Partitions should be numbered 0 to " + (assignments.size() - 1) + ".");
                }
                checkReplicas(replicas);
                ordered.add(replicas);
            }
            return ordered;
        }

        void checkReplicas(List<Integer> replicas) {
            if (replicas.isEmpty()) {
                throw new InvalidReplicaAssignmentException("The manual partition assignment includes an empty replica list.");
            }
            java.util.Set<Integer> seen = new java.util.HashSet<>();
            for (int replica : replicas) {
                if (!seen.add(replica)) {
                    throw new InvalidReplicaAssignmentException("The manual partition assignment includes the broker " + replica + " more than once.");
                }
                if (!image.brokers().containsKey(replica)) {
                    throw new InvalidReplicaAssignmentException("The manual partition assignment includes broker " + replica
                            + ", but no such broker is registered.");
                }
            }
        }

        private void checkCreatable(String name) {
            if (image.topic(name).isPresent()) {
                throw new TopicExistsException("Topic '" + name + "' already exists.");
            }
            String unified = name.replace('.', '_');
            for (TopicMetadata existing : image.topics()) {
                if (existing.name().replace('.', '_').equals(unified)) {
                    throw new InvalidTopicException("Topic '" + name + "' collides with existing topic: " + existing.name());
                }
            }
        }
    }
}
