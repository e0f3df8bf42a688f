package io.runnel.testkit.workload;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The read of every partition from its start up to its end offset once the faults are over: the log as
 * the cluster holds it at the end, against which acknowledged writes are checked. Immutable.
 *
 * @param endOffsets         per partition, the end offset (high watermark) the read went up to
 * @param records            everything read, in order per partition
 * @param incompletePartitions partitions that could not be read up to their end in time (their records
 *                           are missing from {@code records} past where the read stopped)
 */
public record FinalRead(Map<Integer, Long> endOffsets, List<Read> records, Set<Integer> incompletePartitions) {

    public FinalRead {
        endOffsets = Map.copyOf(endOffsets);
        records = List.copyOf(records);
        incompletePartitions = Set.copyOf(incompletePartitions);
    }
}
