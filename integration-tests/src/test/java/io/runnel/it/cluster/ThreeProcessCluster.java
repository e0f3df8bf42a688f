package io.runnel.it.cluster;

import io.runnel.testkit.BrokerProcessCluster;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A three-process cluster shared by the tests of a class: started once, every node running again after
 * each test (one that failed half-way may leave some down), stopped at the end. Its directory, with each
 * node's output in {@code node-<id>.broker.log}, is kept when a test fails.
 */
abstract class ThreeProcessCluster {

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path tempDir;

    static BrokerProcessCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = BrokerProcessCluster.start(tempDir, 3, Map.of());
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @AfterEach
    void restartStoppedNodes() {
        int[] stopped = cluster.nodeIds().stream().filter(id -> !cluster.runningNodeIds().contains(id)).mapToInt(Integer::intValue).toArray();
        if (stopped.length > 0) {
            cluster.restart(stopped);
        }
    }
}
