package io.runnel.testkit.check;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@link ReplicaLogChecker} found: how many partitions and batches it compared, how many partitions
 * have replicas that differ below the high watermark, and a description of the first few. Immutable.
 *
 * @param partitions             partitions compared
 * @param batches                distinct batches (by base offset) below the committed point, over all partitions
 * @param inconsistentPartitions partitions whose replicas differ, lack a batch, hold a corrupt one or are too few
 * @param divergentBatches       batch copies that differ from another replica's at the same base offset
 * @param missingBatches         batch copies absent from a replica that should hold them
 * @param examples               descriptions of the first few inconsistent partitions
 */
public record ReplicaCheckResult(int partitions, int batches, int inconsistentPartitions, int divergentBatches, int missingBatches,
                                 List<String> examples) {

    public ReplicaCheckResult {
        examples = List.copyOf(examples);
    }

    /** True when every replica of every partition holds the same batches below the high watermark. */
    public boolean consistent() {
        return inconsistentPartitions == 0;
    }

    /** The examples, one per line; "replicas identical" when consistent. */
    public String describe() {
        return consistent() ? "replicas identical" : String.join(System.lineSeparator(), examples);
    }

    @Override
    public String toString() {
        return partitions + " partitions, " + batches + " committed batches compared: " + (consistent() ? "replicas identical"
                : inconsistentPartitions + " inconsistent (" + divergentBatches + " differing, " + missingBatches + " missing batch copies)");
    }

    /** Collects the comparison of each partition; not thread-safe. */
    static final class Builder {

        private final int maxExamples;
        private final List<String> examples = new ArrayList<>();
        private int partitions;
        private int batches;
        private int inconsistent;
        private int divergent;
        private int missing;

        Builder(int maxExamples) {
            this.maxExamples = maxExamples;
        }

        void partition(String name, int batchCount, int divergentCopies, int missingCopies, List<String> problems) {
            partitions++;
            batches += batchCount;
            divergent += divergentCopies;
            missing += missingCopies;
            if (!problems.isEmpty()) {
                inconsistent++;
                if (examples.size() < maxExamples) {
                    examples.add(name + ": " + String.join("; ", problems));
                }
            }
        }

        ReplicaCheckResult build() {
            return new ReplicaCheckResult(partitions, batches, inconsistent, divergent, missing, examples);
        }
    }
}
