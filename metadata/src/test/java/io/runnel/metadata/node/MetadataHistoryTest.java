package io.runnel.metadata.node;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.MetadataRecord;
import io.runnel.metadata.MetadataRecordSerde;
import io.runnel.metadata.node.QuorumMessages.FetchAnswer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class MetadataHistoryTest {

    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    private final MetadataHistory history = new MetadataHistory(timer);
    private MetadataImage image = MetadataImage.EMPTY;

    @AfterEach
    void stop() {
        timer.shutdownNow();
    }

    @Test
    void shouldAnswerTheEntriesAfterTheFetchedOffset() throws Exception {
        apply(1, new MetadataRecord.ClusterIdRecord("c"));
        apply(2, new MetadataRecord.TopicRecord("a", Uuid.randomUuid()));
        apply(4, new MetadataRecord.TopicRecord("b", Uuid.randomUuid()));

        FetchAnswer answer = history.fetch(1, 0, () -> image, 7).get(1, TimeUnit.SECONDS);

        assertThat(answer.leaderId()).isEqualTo(7);
        assertThat(answer.snapshot()).isNull();
        assertThat(answer.entries()).extracting(QuorumMessages.Entry::offset).containsExactly(2L, 4L);
    }

    @Test
    void shouldAnswerTheWholeImageToABrokerBehindTheRetainedEntries() throws Exception {
        apply(1, new MetadataRecord.ClusterIdRecord("c"));
        image = image.apply(List.of(new MetadataRecord.TopicRecord("restored", Uuid.randomUuid())), 10);
        history.restart(10);
        apply(11, new MetadataRecord.TopicRecord("after", Uuid.randomUuid()));

        FetchAnswer answer = history.fetch(3, 0, () -> image, 1).get(1, TimeUnit.SECONDS);

        assertThat(answer.snapshot()).isNotNull();
        assertThat(answer.snapshot().offset()).isEqualTo(11);
        MetadataImage rebuilt = MetadataImage.EMPTY.apply(MetadataRecordSerde.deserializeBatch(answer.snapshot().batch()), answer.snapshot().offset());
        assertThat(rebuilt.topic("restored")).isPresent();
        assertThat(rebuilt.topic("after")).isPresent();
    }

    @Test
    void shouldHoldAFetchWithNothingNewUntilTheNextEntry() throws Exception {
        apply(1, new MetadataRecord.ClusterIdRecord("c"));
        CompletableFuture<FetchAnswer> waiting = history.fetch(1, 10_000, () -> image, 1);
        assertThat(waiting).isNotDone();

        apply(2, new MetadataRecord.TopicRecord("a", Uuid.randomUuid()));

        assertThat(waiting.get(1, TimeUnit.SECONDS).entries()).extracting(QuorumMessages.Entry::offset).containsExactly(2L);
    }

    @Test
    void shouldAnswerEmptyWhenTheWaitEnds() throws Exception {
        apply(1, new MetadataRecord.ClusterIdRecord("c"));

        FetchAnswer answer = history.fetch(1, 10, () -> image, 1).get(1, TimeUnit.SECONDS);

        assertThat(answer.entries()).isEmpty();
        assertThat(answer.snapshot()).isNull();
    }

    private void apply(long offset, MetadataRecord record) {
        image = image.apply(List.of(record), offset);
        history.append(offset, MetadataRecordSerde.serializeBatch(List.of(record)));
    }
}
