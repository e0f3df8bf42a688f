package io.runnel.metadata.controller;

import static io.runnel.metadata.MetadataRecordSerde.readEndpoints;
import static io.runnel.metadata.MetadataRecordSerde.readInts;
import static io.runnel.metadata.MetadataRecordSerde.readNullable;
import static io.runnel.metadata.MetadataRecordSerde.writeEndpoints;
import static io.runnel.metadata.MetadataRecordSerde.writeInts;
import static io.runnel.metadata.MetadataRecordSerde.writeNullable;

import io.runnel.metadata.BinaryWriter;
import io.runnel.metadata.BrokerEndpoint;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.MetadataRecord;
import io.runnel.metadata.MetadataRecordSerde;
import io.runnel.metadata.PartitionRegistration;
import io.runnel.metadata.TopicMetadata;
import io.runnel.metadata.controller.ControllerCommand.AlterPartition;
import io.runnel.metadata.controller.ControllerCommand.IsrChange;
import io.runnel.metadata.controller.ControllerCommand.IsrChangeResult;
import io.runnel.metadata.controller.ControllerCommand.IsrMember;
import io.runnel.metadata.controller.ControllerCommand.AllocateProducerIds;
import io.runnel.metadata.controller.ControllerCommand.AlterBrokerConfigs;
import io.runnel.metadata.controller.ControllerCommand.AlterTopicConfigs;
import io.runnel.metadata.controller.ControllerCommand.BrokerHeartbeat;
import io.runnel.metadata.controller.ControllerCommand.CreatePartitions;
import io.runnel.metadata.controller.ControllerCommand.CreateTopic;
import io.runnel.metadata.controller.ControllerCommand.DeleteTopic;
import io.runnel.metadata.controller.ControllerCommand.ElectLeaders;
import io.runnel.metadata.controller.ControllerCommand.PartitionResult;
import io.runnel.metadata.controller.ControllerCommand.HeartbeatReply;
import io.runnel.metadata.controller.ControllerCommand.PartitionId;
import io.runnel.metadata.controller.ControllerCommand.RegisterBroker;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.protocol.Errors;

/**
 * The bytes of controller commands and their replies, as they travel from a broker to the active
 * controller through the metadata quorum. A failed command's reply is Kafka's error code and message,
 * rethrown on the sending side as the same {@link ApiException}. Stateless.
 *
 * <pre>
 * command := byte type (1 CreateTopic .. 9 BrokerHeartbeat, 10 AlterReassignments, 11 AlterPartition, 12 CreateAcls, 13 DeleteAcls,
 *            14 UpdateFeatures, 15 AlterScramCredentials, 16 AlterClientQuotas), fields in declaration order (CreateAcls: int n, n x acl as in
 *            {@link MetadataRecordSerde}; DeleteAcls: int n, n x uuid; UpdateFeatures: int n, n x (UTF feature, short level,
 *            byte upgradeType), bool validateOnly; AlterScramCredentials and AlterClientQuotas: int length, a record batch of the
 *            changes' records)
 *            (AlterReassignments: int n, n x (uuid, int partition, ints replicas), bool allowReplicationFactorChange;
 *            RegisterBroker ends with long previousBrokerEpoch)
 *            (AlterPartition: int brokerId, long brokerEpoch, int n, n x (uuid, int partition, int leaderEpoch, int partitionEpoch,
 *            int m, m x (int brokerId, long brokerEpoch)))
 * reply   := long offset (the metadata offset that holds the command's records; -1 for none), byte tag: -1 error (short code, bool hasMessage, [UTF]), 0 none, 1 long, 2 topic (record batch),
 *            3 heartbeat (bool fenced, bool shouldShutDown), 4 elections (int n, n x (uuid, int, short, bool, [UTF])),
 *            5 ISR changes (int n, n x (uuid, int, short, int length (-1: no registration), [record batch of one PartitionRecord]))
 * </pre>
 */
public final class ControllerMessages {

    private ControllerMessages() {
    }

    /** The bytes of a command. */
    public static byte[] encodeCommand(ControllerCommand command) {
        return write(out -> CommandCodec.write(out, command));
    }

    /** The command of {@link #encodeCommand}'s bytes. */
    public static ControllerCommand decodeCommand(byte[] bytes) throws IOException {
        return CommandCodec.read(new DataInputStream(new ByteArrayInputStream(bytes)));
    }

    /** The bytes of a successful reply, whose records are committed at metadata {@code offset}. */
    public static byte[] encodeReply(Committed committed) {
        return write(out -> {
            out.writeLong(committed.offset());
            writeReply(out, committed.reply());
        });
    }

    /** The bytes of a failed command's reply: Kafka's error for {@code failure}. */
    public static byte[] encodeError(Throwable failure) {
        Errors error = Errors.forException(failure);
        return write(out -> {
            out.writeLong(-1);
            out.writeByte(-1);
            out.writeShort(error.code());
            writeNullable(out, failure.getMessage());
        });
    }

    /**
     * The reply in {@code bytes}.
     *
     * @throws ApiException the error the controller answered with
     */
    public static Committed decodeReply(byte[] bytes) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        long offset = in.readLong();
        return new Committed(readReply(in), offset);
    }

    private static Object readReply(DataInputStream in) throws IOException {
        byte tag = in.readByte();
        switch (tag) {
            case -1:
                Errors error = Errors.forCode(in.readShort());
                String message = readNullable(in);
                throw message == null ? error.exception() : error.exception(message);
            case 0:
                return null;
            case 1:
                return in.readLong();
            case 2:
                return readTopic(in);
            case 3:
                return new HeartbeatReply(in.readBoolean(), in.readBoolean());
            case 4:
                return readElections(in);
            case 5:
                return readIsrChanges(in);
            default:
                throw new IOException("unknown controller reply tag " + tag);
        }
    }

    private static void writeReply(DataOutputStream out, Object reply) throws IOException {
        if (reply == null) {
            out.writeByte(0);
        } else if (reply instanceof Long value) {
            out.writeByte(1);
            out.writeLong(value);
        } else if (reply instanceof TopicMetadata topic) {
            out.writeByte(2);
            writeTopic(out, topic);
        } else if (reply instanceof HeartbeatReply heartbeat) {
            out.writeByte(3);
            out.writeBoolean(heartbeat.fenced());
            out.writeBoolean(heartbeat.shouldShutDown());
        } else if (reply instanceof List<?> results && !results.isEmpty() && results.get(0) instanceof IsrChangeResult) {
            out.writeByte(5);
            writeIsrChanges(out, results);
        } else {
            out.writeByte(4);
            List<?> results = (List<?>) reply;
            out.writeInt(results.size());
            for (Object result : results) {
                PartitionResult election = (PartitionResult) result;
                MetadataRecordSerde.writeUuid(out, election.partition().topicId());
                out.writeInt(election.partition().partition());
                out.writeShort(election.errorCode());
                writeNullable(out, election.message());
            }
        }
    }

    private static List<PartitionResult> readElections(DataInputStream in) throws IOException {
        int count = in.readInt();
        List<PartitionResult> results = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            results.add(new PartitionResult(new PartitionId(MetadataRecordSerde.readUuid(in), in.readInt()), in.readShort(), readNullable(in)));
        }
        return results;
    }

    private static void writeIsrChanges(DataOutputStream out, List<?> results) throws IOException {
        out.writeInt(results.size());
        for (Object result : results) {
            IsrChangeResult change = (IsrChangeResult) result;
            MetadataRecordSerde.writeUuid(out, change.topicId());
            out.writeInt(change.partition());
            out.writeShort(change.errorCode());
            if (change.registration() == null) {
                out.writeInt(-1);
            } else {
                byte[] batch = MetadataRecordSerde.serializeBatch(List.of(
                        new MetadataRecord.PartitionRecord(change.topicId(), change.partition(), change.registration())));
                out.writeInt(batch.length);
                out.write(batch);
            }
        }
    }

    private static List<IsrChangeResult> readIsrChanges(DataInputStream in) throws IOException {
        int count = in.readInt();
        List<IsrChangeResult> results = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            var topicId = MetadataRecordSerde.readUuid(in);
            int partition = in.readInt();
            short errorCode = in.readShort();
            int length = in.readInt();
            PartitionRegistration registration = null;
            if (length >= 0) {
                byte[] batch = new byte[length];
                in.readFully(batch);
                registration = ((MetadataRecord.PartitionRecord) MetadataRecordSerde.deserializeBatch(batch).get(0)).partition();
            }
            results.add(new IsrChangeResult(topicId, partition, errorCode, registration));
        }
        return results;
    }

    /** A topic travels as the records that create it, replayed into an empty image on arrival. */
    private static void writeTopic(DataOutputStream out, TopicMetadata topic) throws IOException {
        List<MetadataRecord> records = new ArrayList<>();
        records.add(new MetadataRecord.TopicRecord(topic.name(), topic.id()));
        for (int i = 0; i < topic.partitionCount(); i++) {
            records.add(new MetadataRecord.PartitionRecord(topic.id(), i, topic.partition(i)));
        }
        records.add(new MetadataRecord.TopicConfigsChanged(topic.id(), topic.configs()));
        byte[] batch = MetadataRecordSerde.serializeBatch(records);
        out.writeInt(batch.length);
        out.write(batch);
    }

    private static TopicMetadata readTopic(DataInputStream in) throws IOException {
        byte[] batch = new byte[in.readInt()];
        in.readFully(batch);
        List<MetadataRecord> records = MetadataRecordSerde.deserializeBatch(batch);
        String name = ((MetadataRecord.TopicRecord) records.get(0)).name();
        return MetadataImage.EMPTY.apply(records, 0).topic(name).orElseThrow();
    }

    private static byte[] write(BinaryWriter writer) {
        return BinaryWriter.toBytes(writer);
    }

    /** Commands, one type byte and their fields. */
    private static final class CommandCodec {

        static void write(DataOutputStream out, ControllerCommand command) throws IOException {
            if (command instanceof CreateTopic create) {
                out.writeByte(1);
                out.writeUTF(create.name());
                out.writeInt(create.partitions());
                out.writeInt(create.replicationFactor());
                out.writeInt(create.assignments().size());
                for (Map.Entry<Integer, List<Integer>> assignment : create.assignments().entrySet()) {
                    out.writeInt(assignment.getKey());
                    writeInts(out, assignment.getValue());
                }
                MetadataRecordSerde.writeConfigs(out, create.configs());
                out.writeBoolean(create.validateOnly());
            } else if (command instanceof DeleteTopic delete) {
                out.writeByte(2);
                MetadataRecordSerde.writeUuid(out, delete.topicId());
            } else if (command instanceof CreatePartitions create) {
                out.writeByte(3);
                MetadataRecordSerde.writeUuid(out, create.topicId());
                out.writeInt(create.partitionCount());
                out.writeInt(create.assignments().size());
                for (List<Integer> replicas : create.assignments()) {
                    writeInts(out, replicas);
                }
                out.writeBoolean(create.validateOnly());
            } else if (command instanceof AlterTopicConfigs alter) {
                out.writeByte(4);
                MetadataRecordSerde.writeUuid(out, alter.topicId());
                MetadataRecordSerde.writeConfigs(out, alter.configs());
            } else if (command instanceof AlterBrokerConfigs alter) {
                out.writeByte(5);
                out.writeUTF(alter.broker());
                MetadataRecordSerde.writeConfigs(out, alter.configs());
            } else {
                writeClusterCommand(out, command);
            }
        }

        private static void writeClusterCommand(DataOutputStream out, ControllerCommand command) throws IOException {
            if (command instanceof AllocateProducerIds allocate) {
                out.writeByte(6);
                out.writeInt(allocate.count());
            } else if (command instanceof ElectLeaders elect) {
                out.writeByte(7);
                out.writeBoolean(elect.unclean());
                out.writeInt(elect.partitions().size());
                for (PartitionId partition : elect.partitions()) {
                    MetadataRecordSerde.writeUuid(out, partition.topicId());
                    out.writeInt(partition.partition());
                }
            } else if (command instanceof RegisterBroker register) {
                out.writeByte(8);
                out.writeInt(register.brokerId());
                MetadataRecordSerde.writeUuid(out, register.incarnationId());
                MetadataRecordSerde.writeUuid(out, register.directoryId());
                writeNullable(out, register.clusterId());
                writeEndpoints(out, register.endpoints());
                writeNullable(out, register.rack());
                out.writeLong(register.previousBrokerEpoch());
            } else if (command instanceof ControllerCommand.UpdateFeatures update) {
                out.writeByte(14);
                out.writeInt(update.updates().size());
                for (ControllerCommand.FeatureUpdate feature : update.updates()) {
                    out.writeUTF(feature.feature());
                    out.writeShort(feature.level());
                    out.writeByte(feature.upgradeType());
                }
                out.writeBoolean(update.validateOnly());
            } else if (command instanceof ControllerCommand.AlterReassignments alter) {
                out.writeByte(10);
                out.writeInt(alter.reassignments().size());
                for (ControllerCommand.Reassignment reassignment : alter.reassignments()) {
                    MetadataRecordSerde.writeUuid(out, reassignment.partition().topicId());
                    out.writeInt(reassignment.partition().partition());
                    writeInts(out, reassignment.replicas());
                }
                out.writeBoolean(alter.allowReplicationFactorChange());
            } else if (command instanceof AlterPartition alter) {
                out.writeByte(11);
                writeAlterPartition(out, alter);
            } else if (command instanceof ControllerCommand.CreateAcls create) {
                out.writeByte(12);
                out.writeInt(create.acls().size());
                for (var acl : create.acls()) {
                    MetadataRecordSerde.writeAcl(out, acl);
                }
            } else if (command instanceof ControllerCommand.DeleteAcls delete) {
                out.writeByte(13);
                out.writeInt(delete.ids().size());
                for (var id : delete.ids()) {
                    MetadataRecordSerde.writeUuid(out, id);
                }
            } else if (command instanceof ControllerCommand.AlterScramCredentials alter) {
                out.writeByte(15);
                byte[] changes = MetadataRecordSerde.serializeBatch(alter.changes());
                out.writeInt(changes.length);
                out.write(changes);
            } else if (command instanceof ControllerCommand.AlterClientQuotas alter) {
                out.writeByte(16);
                byte[] changes = MetadataRecordSerde.serializeBatch(List.copyOf(alter.changes()));
                out.writeInt(changes.length);
                out.write(changes);
            } else {
                BrokerHeartbeat heartbeat = (BrokerHeartbeat) command;
                out.writeByte(9);
                out.writeInt(heartbeat.brokerId());
                out.writeLong(heartbeat.brokerEpoch());
                out.writeLong(heartbeat.metadataOffset());
                out.writeBoolean(heartbeat.wantShutDown());
            }
        }

        static ControllerCommand read(DataInputStream in) throws IOException {
            byte type = in.readByte();
            switch (type) {
                case 1: {
                    String name = in.readUTF();
                    int partitions = in.readInt();
                    int replicationFactor = in.readInt();
                    int assignmentCount = in.readInt();
                    Map<Integer, List<Integer>> assignments = new HashMap<>();
                    for (int i = 0; i < assignmentCount; i++) {
                        assignments.put(in.readInt(), readInts(in));
                    }
                    return new CreateTopic(name, partitions, replicationFactor, assignments, MetadataRecordSerde.readConfigs(in), in.readBoolean());
                }
                case 2:
                    return new DeleteTopic(MetadataRecordSerde.readUuid(in));
                case 3: {
                    var topicId = MetadataRecordSerde.readUuid(in);
                    int partitionCount = in.readInt();
                    int assignmentCount = in.readInt();
                    List<List<Integer>> assignments = new ArrayList<>();
                    for (int i = 0; i < assignmentCount; i++) {
                        assignments.add(readInts(in));
                    }
                    return new CreatePartitions(topicId, partitionCount, assignments, in.readBoolean());
                }
                case 4:
                    return new AlterTopicConfigs(MetadataRecordSerde.readUuid(in), MetadataRecordSerde.readConfigs(in));
                case 5:
                    return new AlterBrokerConfigs(in.readUTF(), MetadataRecordSerde.readConfigs(in));
                case 6:
                    return new AllocateProducerIds(in.readInt());
                case 7: {
                    boolean unclean = in.readBoolean();
                    int count = in.readInt();
                    List<PartitionId> partitions = new ArrayList<>();
                    for (int i = 0; i < count; i++) {
                        partitions.add(new PartitionId(MetadataRecordSerde.readUuid(in), in.readInt()));
                    }
                    return new ElectLeaders(unclean, partitions);
                }
                case 8:
                    return readRegistration(in);
                case 14: {
                    int count = in.readInt();
                    List<ControllerCommand.FeatureUpdate> updates = new ArrayList<>(count);
                    for (int i = 0; i < count; i++) {
                        updates.add(new ControllerCommand.FeatureUpdate(in.readUTF(), in.readShort(), in.readByte()));
                    }
                    return new ControllerCommand.UpdateFeatures(updates, in.readBoolean());
                }
                case 9:
                    return new BrokerHeartbeat(in.readInt(), in.readLong(), in.readLong(), in.readBoolean());
                case 10: {
                    int count = in.readInt();
                    List<ControllerCommand.Reassignment> reassignments = new ArrayList<>(count);
                    for (int i = 0; i < count; i++) {
                        PartitionId partition = new PartitionId(MetadataRecordSerde.readUuid(in), in.readInt());
                        reassignments.add(new ControllerCommand.Reassignment(partition, readInts(in)));
                    }
                    // a node of an earlier version sends no flag: its moves may change replica counts, as they always could
                    return new ControllerCommand.AlterReassignments(reassignments, in.available() == 0 || in.readBoolean());
                }
                case 11:
                    return readAlterPartition(in);
                case 12: {
                    int count = in.readInt();
                    List<org.apache.kafka.common.acl.AclBinding> acls = new ArrayList<>(count);
                    for (int i = 0; i < count; i++) {
                        acls.add(MetadataRecordSerde.readAcl(in));
                    }
                    return new ControllerCommand.CreateAcls(acls);
                }
                case 13: {
                    int count = in.readInt();
                    List<org.apache.kafka.common.Uuid> ids = new ArrayList<>(count);
                    for (int i = 0; i < count; i++) {
                        ids.add(MetadataRecordSerde.readUuid(in));
                    }
                    return new ControllerCommand.DeleteAcls(ids);
                }
                case 15: {
                    byte[] changes = new byte[in.readInt()];
                    in.readFully(changes);
                    return new ControllerCommand.AlterScramCredentials(MetadataRecordSerde.deserializeBatch(changes));
                }
                case 16: {
                    byte[] changes = new byte[in.readInt()];
                    in.readFully(changes);
                    List<MetadataRecord.ClientQuotaRecord> quotas = new ArrayList<>();
                    for (MetadataRecord change : MetadataRecordSerde.deserializeBatch(changes)) {
                        quotas.add((MetadataRecord.ClientQuotaRecord) change);
                    }
                    return new ControllerCommand.AlterClientQuotas(quotas);
                }
                default:
                    throw new IOException("unknown controller command type " + type);
            }
        }

        private static void writeAlterPartition(DataOutputStream out, AlterPartition alter) throws IOException {
            out.writeInt(alter.brokerId());
            out.writeLong(alter.brokerEpoch());
            out.writeInt(alter.changes().size());
            for (IsrChange change : alter.changes()) {
                MetadataRecordSerde.writeUuid(out, change.topicId());
                out.writeInt(change.partition());
                out.writeInt(change.leaderEpoch());
                out.writeInt(change.partitionEpoch());
                out.writeInt(change.newIsr().size());
                for (IsrMember member : change.newIsr()) {
                    out.writeInt(member.brokerId());
                    out.writeLong(member.brokerEpoch());
                }
            }
        }

        private static AlterPartition readAlterPartition(DataInputStream in) throws IOException {
            int brokerId = in.readInt();
            long brokerEpoch = in.readLong();
            int count = in.readInt();
            List<IsrChange> changes = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                var topicId = MetadataRecordSerde.readUuid(in);
                int partition = in.readInt();
                int leaderEpoch = in.readInt();
                int partitionEpoch = in.readInt();
                int members = in.readInt();
                List<IsrMember> isr = new ArrayList<>(members);
                for (int j = 0; j < members; j++) {
                    isr.add(new IsrMember(in.readInt(), in.readLong()));
                }
                changes.add(new IsrChange(topicId, partition, leaderEpoch, partitionEpoch, isr));
            }
            return new AlterPartition(brokerId, brokerEpoch, changes);
        }

        private static RegisterBroker readRegistration(DataInputStream in) throws IOException {
            int brokerId = in.readInt();
            var incarnation = MetadataRecordSerde.readUuid(in);
            var directory = MetadataRecordSerde.readUuid(in);
            String clusterId = readNullable(in);
            List<BrokerEndpoint> endpoints = readEndpoints(in);
            String rack = readNullable(in);
            // a node of an earlier version sends no previous epoch: unknown, as Kafka's default
            long previousEpoch = in.available() == 0 ? RegisterBroker.UNKNOWN_PREVIOUS_EPOCH : in.readLong();
            return new RegisterBroker(brokerId, incarnation, directory, clusterId, endpoints, rack, previousEpoch);
        }

    }
}
