package io.runnel.metadata.controller;

import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.MetadataRecord.AccessControlEntryRecord;
import io.runnel.metadata.MetadataRecord.RemoveAccessControlEntryRecord;
import io.runnel.metadata.MetadataRecord;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.acl.AclBinding;

/**
 * The records of ACL changes, decided against the committed image: each new ACL gets a fresh id, an
 * ACL already present (or twice in one request) is added once, as Kafka's AclControlManager does.
 * Stateless.
 */
final class AclCommands {

    private AclCommands() {
    }

    static List<MetadataRecord> create(MetadataImage image, ControllerCommand.CreateAcls command) {
        Set<AclBinding> present = new HashSet<>(image.acls().values());
        List<MetadataRecord> records = new ArrayList<>();
        for (AclBinding acl : command.acls()) {
            if (present.add(acl)) {
                records.add(new AccessControlEntryRecord(freshId(image), acl));
            }
        }
        return records;
    }

    static List<MetadataRecord> delete(MetadataImage image, ControllerCommand.DeleteAcls command) {
        List<MetadataRecord> records = new ArrayList<>();
        for (Uuid id : new HashSet<>(command.ids())) {
            if (image.acls().containsKey(id)) {
                records.add(new RemoveAccessControlEntryRecord(id));
            }
        }
        return records;
    }

    private static Uuid freshId(MetadataImage image) {
        Uuid id = Uuid.randomUuid();
        while (image.acls().containsKey(id)) {
            id = Uuid.randomUuid();
        }
        return id;
    }
}
