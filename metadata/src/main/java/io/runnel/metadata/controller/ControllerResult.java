package io.runnel.metadata.controller;

import io.runnel.metadata.MetadataRecord;
import java.util.List;

/**
 * What the controller decided for one command: the records to append, and the reply to send once they
 * are committed. Immutable.
 *
 * @param records the records, possibly none
 * @param reply the reply, or null for a command that has none
 */
public record ControllerResult(List<MetadataRecord> records, Object reply) {

    public ControllerResult {
        records = List.copyOf(records);
    }
}
