package io.runnel.metadata.controller;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.MetadataRecord;
import java.util.List;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.junit.jupiter.api.Test;

class AclCommandsTest {

    private static final AclBinding READ_ORDERS = new AclBinding(new ResourcePattern(ResourceType.TOPIC, "orders", PatternType.LITERAL),
            new AccessControlEntry("User:alice", "*", AclOperation.READ, AclPermissionType.ALLOW));
    private static final AclBinding WRITE_PREFIX = new AclBinding(new ResourcePattern(ResourceType.TOPIC, "ord", PatternType.PREFIXED),
            new AccessControlEntry("User:bob", "*", AclOperation.WRITE, AclPermissionType.DENY));

    private final ControllerHarness cluster = new ControllerHarness(7);

    @Test
    void shouldAddEachAclOnceUnderItsOwnId() {
        cluster.handle(new ControllerCommand.CreateAcls(List.of(READ_ORDERS, WRITE_PREFIX, READ_ORDERS)));
        cluster.handle(new ControllerCommand.CreateAcls(List.of(READ_ORDERS)));

        assertThat(cluster.image().acls().values()).containsExactlyInAnyOrder(READ_ORDERS, WRITE_PREFIX);
    }

    @Test
    void shouldRemoveAclsByIdAndSkipUnknownIds() {
        cluster.handle(new ControllerCommand.CreateAcls(List.of(READ_ORDERS, WRITE_PREFIX)));
        Uuid readId = idOf(cluster.image(), READ_ORDERS);

        cluster.handle(new ControllerCommand.DeleteAcls(List.of(readId, Uuid.randomUuid())));

        assertThat(cluster.image().acls().values()).containsExactly(WRITE_PREFIX);
    }

    @Test
    void shouldKeepAclsThroughASnapshot() {
        cluster.handle(new ControllerCommand.CreateAcls(List.of(READ_ORDERS, WRITE_PREFIX)));

        MetadataImage rebuilt = MetadataImage.EMPTY.apply(cluster.image().asRecords(), 1);

        assertThat(rebuilt.acls()).isEqualTo(cluster.image().acls());
    }

    @Test
    void shouldKeepTheSameAclMapWhenABatchChangesNoAcl() {
        cluster.handle(new ControllerCommand.CreateAcls(List.of(READ_ORDERS)));
        MetadataImage before = cluster.image();

        MetadataImage after = before.apply(new MetadataRecord.ProducerIdsAllocated(5000));

        assertThat(after.acls()).isSameAs(before.acls());
    }

    private static Uuid idOf(MetadataImage image, AclBinding acl) {
        return image.acls().entrySet().stream().filter(e -> e.getValue().equals(acl)).findFirst().orElseThrow().getKey();
    }
}
