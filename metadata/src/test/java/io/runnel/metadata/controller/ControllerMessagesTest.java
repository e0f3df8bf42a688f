package io.runnel.metadata.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.metadata.BrokerEndpoint;
import io.runnel.metadata.MetadataRecord;
import io.runnel.metadata.PartitionRegistration;
import io.runnel.metadata.TopicMetadata;
import io.runnel.metadata.controller.ControllerCommand.PartitionResult;
import io.runnel.metadata.controller.ControllerCommand.HeartbeatReply;
import io.runnel.metadata.controller.ControllerCommand.PartitionId;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.BrokerIdNotRegisteredException;
import org.apache.kafka.common.errors.DuplicateBrokerRegistrationException;
import org.apache.kafka.common.errors.InconsistentClusterIdException;
import org.apache.kafka.common.errors.InvalidReplicaAssignmentException;
import org.apache.kafka.common.errors.InvalidReplicationFactorException;
import org.apache.kafka.common.errors.StaleBrokerEpochException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicIdException;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;

class ControllerMessagesTest {

    private static final Uuid TOPIC = Uuid.randomUuid();

    private static List<ControllerCommand> everyCommand() {
        return List.of(
                new ControllerCommand.CreateTopic("orders", 3, 2, Map.of(), Map.of("retention.ms", "10"), false),
                new ControllerCommand.CreateTopic("pinned", 2, 0, Map.of(0, List.of(1, 2), 1, List.of(2, 3)), Map.of(), true),
                new ControllerCommand.DeleteTopic(TOPIC),
                new ControllerCommand.CreatePartitions(TOPIC, 5, List.of(), false),
                new ControllerCommand.CreatePartitions(TOPIC, 4, List.of(List.of(1, 2), List.of(3, 1)), true),
                new ControllerCommand.AlterTopicConfigs(TOPIC, Map.of("cleanup.policy", "compact")),
                new ControllerCommand.AlterBrokerConfigs("", Map.of()),
                new ControllerCommand.AlterScramCredentials(List.of(
                        new MetadataRecord.UserScramCredentialRecord("alice", (byte) 2, new byte[] {1}, new byte[] {2}, new byte[] {3}, 4096),
                        new MetadataRecord.RemoveUserScramCredentialRecord("bob", (byte) 1))),
                new ControllerCommand.AlterClientQuotas(List.of(
                        new MetadataRecord.ClientQuotaRecord(entity("user", null), "request_percentage", 50, false),
                        new MetadataRecord.ClientQuotaRecord(entity("user", "bob"), "producer_byte_rate", 0, true))),
                new ControllerCommand.AllocateProducerIds(1000),
                new ControllerCommand.UpdateFeatures(List.of(new ControllerCommand.FeatureUpdate("transaction.version", (short) 1, (byte) 2),
                        new ControllerCommand.FeatureUpdate("group.version", (short) 0, (byte) 3)), true),
                new ControllerCommand.ElectLeaders(true, List.of(new PartitionId(TOPIC, 0), new PartitionId(TOPIC, 7))),
                new ControllerCommand.RegisterBroker(2, Uuid.randomUuid(), Uuid.randomUuid(), "cluster-1",
                        List.of(new BrokerEndpoint("PLAINTEXT", "h2", 9092)), "rack-b"),
                new ControllerCommand.RegisterBroker(3, Uuid.randomUuid(), Uuid.randomUuid(), null, List.of(), null),
                new ControllerCommand.RegisterBroker(4, Uuid.randomUuid(), Uuid.randomUuid(), null, List.of(), null, 42),
                new ControllerCommand.BrokerHeartbeat(2, 17, 1234, true),
                new ControllerCommand.AlterReassignments(List.of(new ControllerCommand.Reassignment(new PartitionId(TOPIC, 0), List.of(2, 1)),
                        new ControllerCommand.Reassignment(new PartitionId(TOPIC, 1), null))),
                new ControllerCommand.AlterPartition(2, 17, List.of(
                        new ControllerCommand.IsrChange(TOPIC, 0, 3, 9, List.of(new ControllerCommand.IsrMember(2, 17),
                                new ControllerCommand.IsrMember(1, ControllerCommand.IsrMember.UNKNOWN_EPOCH))),
                        new ControllerCommand.IsrChange(TOPIC, 1, 0, 0, List.of()))),
                new ControllerCommand.CreateAcls(List.of(new org.apache.kafka.common.acl.AclBinding(
                        new org.apache.kafka.common.resource.ResourcePattern(org.apache.kafka.common.resource.ResourceType.GROUP, "g",
                                org.apache.kafka.common.resource.PatternType.LITERAL),
                        new org.apache.kafka.common.acl.AccessControlEntry("User:*", "*", org.apache.kafka.common.acl.AclOperation.READ,
                                org.apache.kafka.common.acl.AclPermissionType.ALLOW)))),
                new ControllerCommand.DeleteAcls(List.of(TOPIC)));
    }

    @Test
    void shouldRoundTripEveryCommand() throws Exception {
        for (ControllerCommand command : everyCommand()) {
            assertThat(ControllerMessages.decodeCommand(ControllerMessages.encodeCommand(command))).isEqualTo(command);
        }
    }

    @Test
    void shouldCoverEveryCommandType() {
        assertThat(everyCommand()).extracting(Object::getClass).map(Class::getSimpleName).containsAll(Arrays.stream(
                ControllerCommand.class.getPermittedSubclasses()).map(Class::getSimpleName).toList());
    }

    @Test
    void shouldRoundTripEveryReply() throws Exception {
        TopicMetadata topic = new TopicMetadata("orders", TOPIC, List.of(PartitionRegistration.initial(List.of(1, 2), 1),
                new PartitionRegistration(List.of(2, 1), List.of(2), List.of(), 2, 3, 4)), Map.of("retention.ms", "10"));
        List<Object> replies = Arrays.asList(null, 42L, topic, new HeartbeatReply(false, true),
                List.of(new PartitionResult(new PartitionId(TOPIC, 0), Errors.NONE.code(), null),
                        new PartitionResult(new PartitionId(TOPIC, 1), Errors.PREFERRED_LEADER_NOT_AVAILABLE.code(), "not in sync")),
                List.of(new ControllerCommand.IsrChangeResult(TOPIC, 0, Errors.NONE.code(), topic.partition(1)),
                        new ControllerCommand.IsrChangeResult(TOPIC, 1, Errors.FENCED_LEADER_EPOCH.code(), null)));

        for (Object reply : replies) {
            Committed committed = new Committed(reply, 99);
            assertThat(ControllerMessages.decodeReply(ControllerMessages.encodeReply(committed))).isEqualTo(committed);
        }
    }

    @Test
    void shouldReadCommandsOfAnEarlierVersionWithoutTheFieldsAddedSince() throws Exception {
        ControllerCommand.RegisterBroker register = new ControllerCommand.RegisterBroker(4, Uuid.randomUuid(), Uuid.randomUuid(), "c", List.of(), null, 42);
        ControllerCommand.AlterReassignments alter = new ControllerCommand.AlterReassignments(List.of(
                new ControllerCommand.Reassignment(new PartitionId(TOPIC, 0), List.of(2, 1))), false);
        byte[] registerBytes = ControllerMessages.encodeCommand(register);
        byte[] alterBytes = ControllerMessages.encodeCommand(alter);

        Object oldRegister = ControllerMessages.decodeCommand(Arrays.copyOf(registerBytes, registerBytes.length - Long.BYTES));
        Object oldAlter = ControllerMessages.decodeCommand(Arrays.copyOf(alterBytes, alterBytes.length - 1));

        assertThat(((ControllerCommand.RegisterBroker) oldRegister).previousBrokerEpoch()).isEqualTo(ControllerCommand.RegisterBroker.UNKNOWN_PREVIOUS_EPOCH);
        assertThat(((ControllerCommand.AlterReassignments) oldAlter).allowReplicationFactorChange()).isTrue();
    }

    @Test
    void shouldRethrowErrorsAsTheSameApiException() {
        List<ApiException> failures = List.of(new StaleBrokerEpochException("stale"), new BrokerIdNotRegisteredException("who"),
                new DuplicateBrokerRegistrationException("twice"), new InconsistentClusterIdException("other"),
                new InvalidReplicaAssignmentException("bad"), new InvalidReplicationFactorException("rf"),
                new TopicExistsException("exists"), new UnknownTopicIdException("gone"));

        for (ApiException failure : failures) {
            byte[] bytes = ControllerMessages.encodeError(failure);
            assertThatThrownBy(() -> ControllerMessages.decodeReply(bytes)).isExactlyInstanceOf(failure.getClass()).hasMessage(failure.getMessage());
        }
    }

    @Test
    void shouldRethrowErrorWithoutMessage() {
        byte[] bytes = ControllerMessages.encodeError(new StaleBrokerEpochException(null));

        assertThatThrownBy(() -> ControllerMessages.decodeReply(bytes)).isExactlyInstanceOf(StaleBrokerEpochException.class);
    }

    /** A client quota entity from entity type and name pairs (a null name: the default entity). */
    private static org.apache.kafka.common.quota.ClientQuotaEntity entity(String... typesAndNames) {
        java.util.Map<String, String> entries = new java.util.HashMap<>();
        for (int i = 0; i < typesAndNames.length; i += 2) {
            entries.put(typesAndNames[i], typesAndNames[i + 1]);
        }
        return new org.apache.kafka.common.quota.ClientQuotaEntity(entries);
    }
}
