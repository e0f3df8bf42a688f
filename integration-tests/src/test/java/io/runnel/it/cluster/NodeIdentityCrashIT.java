package io.runnel.it.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.runnel.it.support.MetaPropertiesFiles;
import io.runnel.testkit.BrokerProcess;
import io.runnel.testkit.BrokerProcessCluster;
import io.runnel.testkit.BrokerProcessException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

/**
 * A broker process that must not join refuses to start: it exits non-zero and says why in one line,
 * without a stack trace. A one-voter cluster is enough to hold the identities it clashes with.
 */
class NodeIdentityCrashIT {

    /** Kept when a test fails: each node's output is in node-<id>.broker.log there. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path tempDir;

    private static BrokerProcessCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = BrokerProcessCluster.start(tempDir.resolve("cluster"), 1, Map.of());
    }

    @AfterAll
    static void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void shouldRefuseToStartWithTheNodeIdOfALiveBroker() {
        BrokerProcess clash = cluster.launchBroker(1, tempDir.resolve("clash"), Map.of());

        List<String> problem = refusal(clash);

        assertThat(problem).singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains("node.id").contains("1");
    }

    @Test
    void shouldRefuseToStartOnTheDataOfAnotherCluster() throws Exception {
        Path dataDir = tempDir.resolve("stranger");
        MetaPropertiesFiles.write(dataDir, "some-other-cluster-id", 2);
        BrokerProcess stranger = cluster.launchBroker(2, dataDir, Map.of());

        List<String> problem = refusal(stranger);

        assertThat(problem).singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains("some-other-cluster-id").contains("cluster id");
    }

    /** Waits for the process to give up; returns the lines in which Runnel names the problem. */
    private static List<String> refusal(BrokerProcess process) {
        BrokerProcessException refused = catchThrowableOfType(BrokerProcessException.class, process::awaitStarted);
        assertThat(refused).as("the process started").isNotNull();
        assertThat(refused.exitCode()).as("exit code; output:%n%s", String.join("\n", refused.output())).isNotNull().isNotZero();
        assertThat(refused.output()).as("a stack trace").noneMatch(line -> line.startsWith("\tat "));
        return refused.output().stream().filter(line -> line.startsWith("runnel: ")).toList();
    }
}
