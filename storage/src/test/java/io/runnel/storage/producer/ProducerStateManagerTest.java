package io.runnel.storage.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProducerStateManagerTest {
    @TempDir
    Path dir;

    private static ProducerBatch batch(long pid, short epoch, int firstSeq, int lastSeq, long firstOffset) {
        return new ProducerBatch(pid, epoch,
                new BatchMetadata(firstSeq, lastSeq, firstOffset, firstOffset + (lastSeq - firstSeq), 100L));
    }

    @Test
    void shouldAcceptSequenceWrapAround() {
        ProducerStateManager state = new ProducerStateManager(dir);
        state.apply(batch(1, (short) 0, Integer.MAX_VALUE - 1, Integer.MAX_VALUE, 10));

        assertThat(state.newValidator().validateData(1, (short) 0, 0, 4, false)).isEmpty();
        assertThatThrownBy(() -> state.newValidator().validateData(1, (short) 0, 1, 4, false))
                .isInstanceOf(OutOfOrderSequenceException.class);
    }

    @Test
    void shouldNameTheExpectedSequenceAndTheEpochOfAnOutOfOrderBatch() {
        ProducerStateManager state = new ProducerStateManager(dir);
        state.apply(batch(1, (short) 3, 0, 4, 10));

        assertThatThrownBy(() -> state.newValidator().validateData(1, (short) 3, 7, 9, false))
                .isInstanceOf(OutOfOrderSequenceException.class)
                .hasMessage("Producer 1 sent sequence 7 but 5 was expected for epoch 3");
        assertThatThrownBy(() -> state.newValidator().validateData(1, (short) 4, 5, 9, false))
                .isInstanceOf(OutOfOrderSequenceException.class)
                .hasMessage("Producer 1 sent sequence 5 but 0 was expected for a new epoch 4");
    }

    @Test
    void shouldCheckLaterBatchesOfOneRequestAgainstEarlierOnes() {
        ProducerStateManager state = new ProducerStateManager(dir);
        ProducerAppendValidator validator = state.newValidator();

        assertThat(validator.validateData(1, (short) 0, 0, 2, false)).isEmpty();
        assertThat(validator.validateData(1, (short) 0, 3, 3, false)).isEmpty();
        assertThatThrownBy(() -> validator.validateData(1, (short) 0, 3, 3, false)).isInstanceOf(OutOfOrderSequenceException.class);
    }

    @Test
    void shouldCheckEachProducerOfARequestAgainstItsOwnEarlierBatches() {
        ProducerStateManager state = new ProducerStateManager(dir);
        state.apply(batch(2, (short) 0, 0, 9, 0));
        ProducerAppendValidator validator = state.newValidator();

        assertThat(validator.validateData(1, (short) 0, 0, 2, false)).isEmpty();
        assertThat(validator.validateData(2, (short) 0, 10, 11, false)).isEmpty();
        assertThat(validator.validateData(3, (short) 0, 5, 5, false)).isEmpty();
        assertThat(validator.validateData(1, (short) 0, 3, 3, false)).isEmpty();
        assertThat(validator.validateData(2, (short) 0, 12, 12, false)).isEmpty();
        assertThatThrownBy(() -> validator.validateData(3, (short) 0, 5, 5, false)).isInstanceOf(OutOfOrderSequenceException.class)
                .hasMessage("Producer 3 sent sequence 5 but 6 was expected for epoch 0");
        assertThatThrownBy(() -> validator.validateData(2, (short) 0, 12, 12, false)).isInstanceOf(OutOfOrderSequenceException.class)
                .hasMessage("Producer 2 sent sequence 12 but 13 was expected for epoch 0");
    }

    @Test
    void shouldCacheOnlyTheLastFiveBatches() {
        ProducerStateManager state = new ProducerStateManager(dir);
        for (int i = 0; i < 7; i++) {
            state.apply(batch(1, (short) 0, i, i, i));
        }

        assertThat(state.entry(1).orElseThrow().batches()).extracting(BatchMetadata::firstSeq)
                .containsExactly(2, 3, 4, 5, 6);
    }

    @Test
    void shouldRoundTripSnapshot() throws Exception {
        ProducerStateManager state = new ProducerStateManager(dir);
        state.apply(batch(1, (short) 2, 0, 4, 0));
        state.apply(batch(1, (short) 2, 5, 5, 5));
        state.apply(batch(9, (short) 0, 0, 0, 6));
        state.takeSnapshot(7);

        ProducerStateManager loaded = new ProducerStateManager(dir);

        assertThat(loaded.loadLatestSnapshot(7)).isEqualTo(7);
        assertThat(loaded.producerCount()).isEqualTo(2);
        assertThat(loaded.entry(1).orElseThrow().batches()).isEqualTo(state.entry(1).orElseThrow().batches());
        assertThat(loaded.entry(1).orElseThrow().epoch()).isEqualTo((short) 2);
    }

    @Test
    void shouldSkipCorruptSnapshotAndUseOlderOne() throws Exception {
        ProducerStateManager state = new ProducerStateManager(dir);
        state.apply(batch(1, (short) 0, 0, 0, 0));
        state.takeSnapshot(1);
        state.apply(batch(1, (short) 0, 1, 1, 1));
        state.takeSnapshot(2);
        Path newest = ProducerSnapshotFile.path(dir, 2);
        byte[] bytes = Files.readAllBytes(newest);
        bytes[bytes.length - 1] ^= 0x01;
        Files.write(newest, bytes);

        ProducerStateManager loaded = new ProducerStateManager(dir);

        assertThat(loaded.loadLatestSnapshot(2)).isEqualTo(1);
        assertThat(loaded.entry(1).orElseThrow().lastSeq()).isZero();
        assertThat(newest).doesNotExist();
    }

    @Test
    void shouldDropSnapshotsBeyondLogEnd() throws Exception {
        ProducerStateManager state = new ProducerStateManager(dir);
        state.apply(batch(1, (short) 0, 0, 0, 0));
        state.takeSnapshot(5);

        ProducerStateManager loaded = new ProducerStateManager(dir);

        assertThat(loaded.loadLatestSnapshot(3)).isEqualTo(-1);
        assertThat(loaded.producerCount()).isZero();
        assertThat(ProducerSnapshotFile.path(dir, 5)).doesNotExist();
    }

    @Test
    void shouldExpireProducersByTheirLastAppendNotTheirFirst() {
        ProducerStateManager state = new ProducerStateManager(dir);
        state.apply(new ProducerBatch(1, (short) 0, new BatchMetadata(0, 0, 0, 0, 1_000)));
        state.apply(new ProducerBatch(1, (short) 0, new BatchMetadata(1, 1, 1, 1, 5_000)));
        state.apply(new ProducerBatch(2, (short) 0, new BatchMetadata(0, 0, 2, 2, 2_000)));

        assertThat(state.removeExpiredProducers(6_000, 4_000)).isEqualTo(1);

        assertThat(state.entry(1)).isPresent();
        assertThat(state.entry(2)).isEmpty();
    }
}
