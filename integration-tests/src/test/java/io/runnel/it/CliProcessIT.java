package io.runnel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.SegmentFiles;
import io.runnel.it.support.TopicReader;
import io.runnel.testkit.BrokerProcess;
import io.runnel.testkit.BrokerProcessException;
import java.nio.file.Files;
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
