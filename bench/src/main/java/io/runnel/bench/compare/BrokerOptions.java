package io.runnel.bench.compare;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * The options of {@link Compare} and {@link ClusterCompare} that say which brokers run and how: where
 * Kafka and Runnel are, their versions for the table, the heap and Runnel's extra JVM options and settings.
 */
final class BrokerOptions {

    @Option(names = "--kafka-libs", required = true, description = "The Kafka release's libs directory.")
    Path kafkaLibs;

    @Option(names = "--kafka-version", required = true, description = "The Kafka release, for the table.")
    String kafkaVersion;

    @Option(names = "--runnel-home", defaultValue = ".", description = "The built Runnel checkout (default: .).")
    Path runnelHome;

    @Option(names = "--runnel-version", defaultValue = "(unknown commit)", description = "Runnel's commit, for the table.")
    String runnelVersion;

    @Option(names = "--heap", defaultValue = "1G", description = "Every broker JVM's heap (default: ${DEFAULT-VALUE}, Kafka's).")
    String heap;

    @Option(names = "--runnel-jvm-option", paramLabel = "option",
            description = "An extra JVM option for Runnel only, e.g. -XX:StartFlightRecording=filename=r.jfr. Repeatable.")
    List<String> runnelJvmOptions = new ArrayList<>();

    @Option(names = "--runnel-setting", paramLabel = "key=value",
            description = "An extra broker setting for Runnel only, e.g. runnel.ssl.provider=openssl. Repeatable.")
    Map<String, String> runnelSettings = new LinkedHashMap<>();

    Toolbox toolbox() {
        return new Toolbox(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                kafkaLibs.toAbsolutePath(), runnelHome.toAbsolutePath(), heap);
    }

    /**
     * Runnel's and Kafka's launchers, in the order of every round, once Runnel's class-data archive is
     * recorded (in {@code workDir}, unmeasured) and the readiness probe warmed up.
     */
    List<BrokerLauncher> launchers(Toolbox toolbox, Path workDir, Path logs) throws IOException, InterruptedException {
        RunnelLauncher runnel = new RunnelLauncher(toolbox, runnelJvmOptions, runnelSettings);
        ReadinessProbe.warmUp();
        runnel.prepare(workDir.toAbsolutePath().resolve("runnel-cds"), logs.resolve("runnel-cds.log"));
        return List.of(runnel, new KafkaLauncher(toolbox));
    }
}
