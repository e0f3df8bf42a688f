package io.runnel.storage.epoch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeaderEpochCacheTest {
    @TempDir
    Path dir;

    @Test
    void shouldReloadPersistedEntries() throws Exception {
        LeaderEpochCache cache = LeaderEpochCache.load(dir);
        cache.assign(2, 0);
        cache.assign(5, 40);

        assertThat(LeaderEpochCache.load(dir).entries()).containsExactly(new EpochEntry(2, 0), new EpochEntry(5, 40));
    }

    @Test
    void shouldIgnoreOlderEpochs() throws Exception {
        LeaderEpochCache cache = LeaderEpochCache.load(dir);
        cache.assign(5, 10);
        cache.assign(4, 20);
        cache.assign(5, 30);

        assertThat(cache.entries()).containsExactly(new EpochEntry(5, 10));
    }

    @Test
    void shouldMoveCoveringEpochToNewLogStart() throws Exception {
        LeaderEpochCache cache = LeaderEpochCache.load(dir);
        cache.assign(1, 0);
        cache.assign(2, 10);
        cache.assign(3, 20);

        cache.truncateFromStart(15);

        assertThat(cache.entries()).containsExactly(new EpochEntry(2, 15), new EpochEntry(3, 20));
    }

    @Test
    void shouldAnswerUndefinedForEmptyCache() throws Exception {
        assertThat(LeaderEpochCache.load(dir).endOffsetFor(0, 10)).isEqualTo(EpochEndOffset.UNDEFINED);
    }
}
