package io.runnel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.SegmentFiles;
import io.runnel.it.support.TopicReader;
import io.runnel.testkit.BrokerProcess;
import io.runnel.testkit.BrokerProcessException;
import java.nio.file.Files;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code runnel server} process: refuses bad configs with exit code 1, shuts down cleanly on SIGTERM. */
class CliProcessIT {

    @TempDir
    Path tempDir;

    @Test
    void shouldExitWithCodeOneAndOneLineNamingTheKeyForABadConfigValue() {
        BrokerProcessException failure = catchThrowableOfType(BrokerProcessException.class,
                () -> BrokerProcess.start(tempDir.resolve("data"), Map.of("num.partitions", "abc")));

        assertThat(failure).as("the broker started despite num.partitions=abc").isNotNull();
        assertThat(failure.exitCode()).isEqualTo(1);
        assertThat(failure.output()).filteredOn(line -> !line.isBlank())
                .singleElement().asString().contains("num.partitions");
    }

    @Test
    void shouldExitWithCodeOneAndOneLineWhenThePortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            BrokerProcessException failure = catchThrowableOfType(BrokerProcessException.class, () -> BrokerProcess.start(
                    tempDir.resolve("data"), Map.of("listeners", "PLAINTEXT://localhost:" + taken.getLocalPort())));

            assertThat(failure).as("the broker started on a taken port").isNotNull();
            assertThat(failure.exitCode()).isEqualTo(1);
            assertThat(failure.output()).filteredOn(line -> !line.isBlank())
                    .singleElement().asString().contains("cannot listen on localhost:" + taken.getLocalPort());
        }
    }

    @Test
    void shouldExitWithCodeOneAndOneLineWhenTheMetricsPortIsTaken() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            BrokerProcessException failure = catchThrowableOfType(BrokerProcessException.class, () -> BrokerProcess.start(
                    tempDir.resolve("data"), Map.of("metrics.port", Integer.toString(taken.getLocalPort()))));

            assertThat(failure).as("the broker started on a taken metrics port").isNotNull();
            assertThat(failure.exitCode()).isEqualTo(1);
            assertThat(failure.output()).filteredOn(line -> !line.isBlank())
                    .singleElement().asString().contains("cannot serve metrics on localhost:" + taken.getLocalPort());
        }
    }

    @Test
    void shouldServeHealthOnTheMetricsPortItsStartUpLineNames() throws Exception {
        try (BrokerProcess broker = BrokerProcess.start(tempDir.resolve("data"), Map.of())) {
            HttpResponse<String> ready = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://localhost:" + broker.metricsPort() + "/health/ready")).build(), HttpResponse.BodyHandlers.ofString());

            assertThat(ready.statusCode()).isEqualTo(200);
        }
    }

    @Test
    void shouldRefuseADataDirectoryOfAnotherNode() {
        Path dataDir = tempDir.resolve("data");
        assertThat(BrokerProcess.start(dataDir, Map.of("node.id", "1")).stop()).isZero();

        BrokerProcessException failure = catchThrowableOfType(BrokerProcessException.class,
                () -> BrokerProcess.start(dataDir, Map.of("node.id", "2")));

        assertThat(failure).as("node 2 started on node 1's data").isNotNull();
        assertThat(failure.exitCode()).isEqualTo(1);
        assertThat(failure.output()).filteredOn(line -> !line.isBlank())
                .singleElement().asString().contains("node.id").contains("belongs to node 1");
    }

    @Test
    void shouldExitWithCodeZeroOnSigterm() {
        BrokerProcess broker = BrokerProcess.start(tempDir.resolve("data"), Map.of());

        assertThat(broker.stop()).isZero();
    }

    @Test
    void shouldLeaveACleanShutdownMarkerAndEveryRecordOnSigterm() throws Exception {
        Path dataDir = tempDir.resolve("data");
        BrokerProcess broker = BrokerProcess.start(dataDir, Map.of());
        KafkaClients.createTopic(broker.bootstrapServers(), "survivor", 1);
        try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers())) {
            producer.send(new ProducerRecord<>("survivor", "k", "kept")).get();
        }

        broker.stop();

        assertThat(Files.exists(dataDir.resolve(SegmentFiles.CLEAN_SHUTDOWN_MARKER))).isTrue();
        try (BrokerProcess restarted = BrokerProcess.start(dataDir, Map.of())) {
            List<ConsumerRecord<String, String>> records = TopicReader.readAll(restarted.bootstrapServers(), "survivor");
            assertThat(records).extracting(ConsumerRecord::value).containsExactly("kept");
        }
    }
}
