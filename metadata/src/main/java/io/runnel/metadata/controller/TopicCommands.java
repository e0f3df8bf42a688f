package io.runnel.metadata.controller;

import io.runnel.metadata.BrokerRegistration;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.MetadataRecord;
import io.runnel.metadata.PartitionRegistration;
import io.runnel.metadata.TopicMetadata;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidPartitionsException;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Checks and builds the records of topic and partition creation against the committed image, placing
 * replicas with the controller's placer. Immutable; used by the controller's thread.
 */
record TopicCommands(MetadataImage image, ReplicaPlacer placer) {

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
            PartitionRegistration partition = newPartition(i, assignments.get(i));
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
            assignments = placer.place(activeBrokers(), current, added, topic.partition(0).targetReplicas().size());
        } else {
            if (create.assignments().size() != added) {
                throw new InvalidReplicaAssignmentException("Attempted to add " + added + " additional partition(s), but only "
                        + create.assignments().size() + " assignment(s) were specified.");
            }
            assignments = create.assignments();
            int replicationFactor = topic.partition(0).targetReplicas().size();
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
            records.add(new MetadataRecord.PartitionRecord(topic.id(), current + i, newPartition(current + i, assignments.get(i))));
        }
        return new ControllerResult(create.validateOnly() ? List.of() : records, null);
    }

    /**
     * A new partition as Kafka's controller creates one: its active replicas are the ISR (an empty
     * partition is in sync anywhere), the first of them leads.
     *
     * @throws InvalidReplicaAssignmentException if no replica is active: the partition could never be
     *     led cleanly, as no replica would be in sync or eligible
     */
    private PartitionRegistration newPartition(int index, List<Integer> replicas) {
        List<Integer> isr = replicas.stream().filter(this::isActive).toList();
        if (isr.isEmpty()) {
            throw new InvalidReplicaAssignmentException("All brokers specified in the manual partition assignment for partition " + index
                    + " are fenced or in controlled shutdown.");
        }
        return new PartitionRegistration(replicas, isr, List.of(), isr.get(0), 0, 0);
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
        checkReplicas(image, replicas);
    }

    /**
     * Kafka's checks of a replica list given by hand: not empty, no broker twice, every broker registered.
     *
     * @throws InvalidReplicaAssignmentException naming the first fault
     */
    static void checkReplicas(MetadataImage image, List<Integer> replicas) {
        if (replicas.isEmpty()) {
            throw new InvalidReplicaAssignmentException("The manual partition assignment includes an empty replica list.");
        }
        Set<Integer> seen = new HashSet<>();
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
