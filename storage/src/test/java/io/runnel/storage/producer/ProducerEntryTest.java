package io.runnel.storage.producer;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class ProducerEntryTest {

    private static final int LOOKUPS = 100_000;

    private static BatchMetadata batch(int firstSeq) {
        return new BatchMetadata(firstSeq, firstSeq + 9, firstSeq, firstSeq + 9, 100L);
    }

    private static ProducerEntry entryWithBatchesFrom(int firstSeq, int count) {
        ProducerEntry entry = new ProducerEntry(1, (short) 0);
        for (int i = 0; i < count; i++) {
            entry.add((short) 0, batch(firstSeq + 10 * i));
        }
        return entry;
    }

    @Test
    void shouldFindTheDuplicateOfEachOfTheLastFiveBatchesOnly() {
        ProducerEntry entry = entryWithBatchesFrom(0, 7);

        assertThat(entry.findDuplicate(0, 9)).isEmpty();
        assertThat(entry.findDuplicate(10, 19)).isEmpty();
        for (int firstSeq = 20; firstSeq <= 60; firstSeq += 10) {
            assertThat(entry.findDuplicate(firstSeq, firstSeq + 9)).contains(batch(firstSeq));
        }
        assertThat(entry.findDuplicate(20, 25)).as("same first sequence, another last").isEmpty();
    }

    @Test
    void shouldKeepTheBatchesOldestFirstAcrossTheRing() {
        ProducerEntry entry = entryWithBatchesFrom(0, 8);

        assertThat(entry.batches()).containsExactly(batch(30), batch(40), batch(50), batch(60), batch(70));
        assertThat(entry.lastBatch()).contains(batch(70));
        assertThat(entry.lastSeq()).isEqualTo(79);
    }

    @Test
    void shouldForgetTheBatchesOfAnOlderEpoch() {
        ProducerEntry entry = entryWithBatchesFrom(0, 3);

        entry.add((short) 1, batch(0));

        assertThat(entry.batches()).containsExactly(batch(0));
        assertThat(entry.findDuplicate(10, 19)).isEmpty();
    }

    /** Every client batch of an idempotent or transactional producer is looked up: the usual answer, none, must cost no garbage. */
    @Test
    void shouldLookForADuplicateThatIsNotThereWithoutAllocating() {
        ProducerEntry entry = entryWithBatchesFrom(0, 5);
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        int found = 0;

        long before = threads.getThreadAllocatedBytes(id);
        long measuring = threads.getThreadAllocatedBytes(id) - before;
        long start = threads.getThreadAllocatedBytes(id);
        for (int i = 0; i < LOOKUPS; i++) {
            found += entry.findDuplicate(50 + i, 59 + i).isPresent() ? 1 : 0;
        }
        long allocated = threads.getThreadAllocatedBytes(id) - start - measuring;

        assertThat(found).isZero();
        assertThat(allocated).as("bytes allocated by %d lookups", LOOKUPS).isLessThan(LOOKUPS);
    }
}
