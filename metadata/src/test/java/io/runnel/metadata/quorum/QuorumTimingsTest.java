package io.runnel.metadata.quorum;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Prints start-to-leader and append latencies; measurements to read, not assertions on speed. */
class QuorumTimingsTest {

    @TempDir
    Path dir;

    @Test
    void shouldPrintTimeToFirstLeaderAndAppendLatency() {
        // The first run pays for class loading and JIT (cold); the later ones show a warm JVM.
        int run = 0;
        for (int size : new int[] {1, 3, 1, 3}) {
            long start = System.nanoTime();
            try (QuorumHarness harness = new QuorumHarness(dir.resolve("run" + run++), size, QuorumSettings.defaults())) {
                harness.startAll();
                harness.awaitLeader();
                System.out.printf("quorum timing: run %d, %d voter(s), start to first ready leader %d ms%n", run, size,
                        (System.nanoTime() - start) / 1_000_000);
                if (size == 3 && run == 4) {
                    printAppendLatency(harness.awaitLeader(), 1000);
                }
            }
        }
    }

    private static void printAppendLatency(RaftQuorum leader, int count) {
        long[] micros = new long[count];
        for (int i = 0; i < count; i++) {
            long t = System.nanoTime();
            leader.append(RaftQuorumTest.bytes("entry-" + i)).join();
            micros[i] = (System.nanoTime() - t) / 1000;
        }
        Arrays.sort(micros);
        System.out.printf("quorum timing: 3 voters, %d sequential appends: p50 %.2f ms, p99 %.2f ms, max %.2f ms%n",
                count, micros[count / 2] / 1000.0, micros[count * 99 / 100] / 1000.0, micros[count - 1] / 1000.0);
        assertThat(micros[0]).isPositive();
    }
}
