package io.runnel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.runnel.it.support.Cli;
import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.TopicReader;
import io.runnel.testkit.EmbeddedBroker;
import io.runnel.testkit.EmbeddedBrokerExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** {@code runnel produce} and {@code runnel consume} against a broker, read and written by real Kafka clients. */
class CliProduceConsumeIT {

    @RegisterExtension
    final EmbeddedBrokerExtension runnel = EmbeddedBrokerExtension.withConfig(Map.of("auto.create.topics.enable", "false"));

    private EmbeddedBroker broker;
    private Cli cli;

    @BeforeEach
    void start() {
        broker = runnel.broker();
        cli = Cli.against(broker.bootstrapServers());
    }

    @Test
    void shouldProduceEachLineAsARecordWithKeyAndHeaders() {
        KafkaClients.createTopic(broker.bootstrapServers(), "lines", 1);

        Cli.Result result = cli.runnelWithInput("\tcustomer-1:created\ntrace=abc,flag\tcustomer-2:paid é\n\tcustomer-3:\n",
                "produce", "--topic", "lines", "--key-separator", ":", "--parse-headers", "--header", "source=cli");

        assertThat(result.exitCode()).as(result.err()).isZero();
        assertThat(result.errLines()).containsExactly("Produced 3 records to lines.");
        List<ConsumerRecord<String, String>> records = TopicReader.readAll(broker.bootstrapServers(), "lines");
        assertThat(records).extracting(ConsumerRecord::key).containsExactly("customer-1", "customer-2", "customer-3");
        assertThat(records).extracting(ConsumerRecord::value).containsExactly("created", "paid é", "");
        assertThat(records.get(1).headers().toArray()).extracting(Header::key).containsExactly("source", "trace", "flag");
        assertThat(new String(records.get(1).headers().lastHeader("trace").value(), StandardCharsets.UTF_8)).isEqualTo("abc");
        assertThat(records.get(1).headers().lastHeader("flag").value()).isNull();
    }

    @Test
    void shouldProduceToOnePartitionWithTheGivenAcksAndCompression() {
        KafkaClients.createTopic(broker.bootstrapServers(), "pinned", 3);

        Cli.Result result = cli.runnelWithInput("a\nb\nc\n", "produce", "--topic", "pinned", "--partition", "2",
                "--acks", "1", "--compression", "zstd");

        assertThat(result.exitCode()).isZero();
        List<ConsumerRecord<String, String>> records = TopicReader.readAll(broker.bootstrapServers(), "pinned");
        assertThat(records).extracting(ConsumerRecord::partition).containsOnly(2);
        assertThat(records).extracting(ConsumerRecord::value).containsExactly("a", "b", "c");
    }

    @Test
    void shouldStopAtALineWithoutTheKeySeparatorAfterSendingTheLinesBefore() {
        KafkaClients.createTopic(broker.bootstrapServers(), "broken", 1);

        Cli.Result result = cli.runnelWithInput("k:v\nno separator\nk:w\n", "produce", "--topic", "broken", "--key-separator", ":");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.errLines()).containsExactly("runnel: line 2 has no key separator ':'");
        assertThat(TopicReader.readAll(broker.bootstrapServers(), "broken")).extracting(ConsumerRecord::value).containsExactly("v");
    }

    @Test
    void shouldRefuseAPartitionTheTopicDoesNotHave() {
        KafkaClients.createTopic(broker.bootstrapServers(), "small", 2);

        Cli.Result result = cli.runnelWithInput("a\n", "produce", "--topic", "small", "--partition", "2");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.errLines()).containsExactly("runnel: Topic 'small' has 2 partitions; there is no partition 2.");
    }

    @Test
    void shouldCallAnUnknownCompressionTypeAUsageError() {
        KafkaClients.createTopic(broker.bootstrapServers(), "t", 1);

        Cli.Result result = cli.runnelWithInput("a\n", "produce", "--topic", "t", "--compression", "brotli");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines()).singleElement().asString().startsWith("runnel: ").contains("compression.type");
    }

    @Test
    void shouldConsumeFromTheBeginningInEachFormat() {
        produce("formats", 1, "k1", "v1", "k2", "v2");

        Cli.Result plain = cli.runnel("consume", "--topic", "formats", "--from-beginning", "--max-messages", "2");
        Cli.Result kv = cli.runnel("consume", "--topic", "formats", "--from-beginning", "--max-messages", "2", "--format", "kv");
        Cli.Result json = cli.runnel("consume", "--topic", "formats", "--from-beginning", "--max-messages", "1", "--format", "json");

        assertThat(plain.exitCode()).isZero();
        assertThat(plain.outLines()).containsExactly("v1", "v2");
        assertThat(plain.errLines()).containsExactly("Processed a total of 2 messages");
        assertThat(kv.outLines()).containsExactly("k1=v1", "k2=v2");
        assertThat(json.outLines()).singleElement().asString()
                .startsWith("{\"topic\":\"formats\",\"partition\":0,\"offset\":0,\"timestamp\":")
                .endsWith(",\"key\":\"k1\",\"value\":\"v1\",\"headers\":[]}");
    }

    @Test
    void shouldConsumeFromAnOffsetOfOnePartition() {
        produce("offsets", 2, "a", "1", "b", "2", "c", "3", "d", "4", "e", "5");

        Cli.Result result = cli.runnel("consume", "--topic", "offsets", "--partition", "0", "--offset", "1", "--timeout-ms", "1500");

        assertThat(result.exitCode()).isZero();
        assertThat(result.outLines()).containsExactly("3", "5");
    }

    @Test
    void shouldConsumeFromTheFirstRecordAtOrAfterATimestamp() throws Exception {
        KafkaClients.createTopic(broker.bootstrapServers(), "timed", 1);
        try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers())) {
            producer.send(new ProducerRecord<>("timed", 0, 1_000L, "k", "old")).get();
            producer.send(new ProducerRecord<>("timed", 0, 2_000L, "k", "new")).get();
        }

        Cli.Result epoch = cli.runnel("consume", "--topic", "timed", "--timestamp", "1500", "--timeout-ms", "1500");
        Cli.Result iso = cli.runnel("consume", "--topic", "timed", "--timestamp", "1970-01-01T00:00:01Z", "--timeout-ms", "1500");

        assertThat(epoch.outLines()).containsExactly("new");
        assertThat(iso.outLines()).containsExactly("old", "new");
    }

    @Test
    void shouldConsumeOnlyNewRecordsByDefaultAndStopCleanlyWhenInterrupted() {
        produce("live", 1, "k", "before");
        Cli.Running consumer = cli.startRunnel("consume", "--topic", "live");

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).untilAsserted(() -> {
            produce("live", 1, "k", "after");
            assertThat(consumer.out()).contains("after");
        });
        consumer.interrupt();
        Cli.Result result = consumer.await();

        assertThat(result.exitCode()).isZero();
        assertThat(result.outLines()).doesNotContain("before").contains("after");
        assertThat(result.errLines()).singleElement().asString().startsWith("Processed a total of ");
    }

    @Test
    void shouldCommitWhatItPrintedWhenConsumingInAGroup() throws Exception {
        produce("grouped", 1, "a", "1", "b", "2", "c", "3");

        Cli.Result first = cli.runnel("consume", "--topic", "grouped", "--group", "readers", "--from-beginning", "--max-messages", "2");
        Cli.Result second = cli.runnel("consume", "--topic", "grouped", "--group", "readers", "--max-messages", "1");

        assertThat(first.outLines()).containsExactly("1", "2");
        assertThat(second.outLines()).containsExactly("3");
        try (Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
            Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets("readers").partitionsToOffsetAndMetadata().get();
            assertThat(committed.get(new TopicPartition("grouped", 0)).offset()).isEqualTo(3);
        }
    }

    @Test
    void shouldStopAfterTheIdleTimeout() {
        KafkaClients.createTopic(broker.bootstrapServers(), "quiet", 1);

        Cli.Result result = cli.runnel("consume", "--topic", "quiet", "--from-beginning", "--timeout-ms", "500");

        assertThat(result.exitCode()).isZero();
        assertThat(result.out()).isEmpty();
        assertThat(result.errLines()).containsExactly("Processed a total of 0 messages");
    }

    @Test
    void shouldSayThatATopicToConsumeDoesNotExist() {
        Cli.Result result = cli.runnel("consume", "--topic", "missing");

        assertThat(result.exitCode()).isEqualTo(1);
        assertThat(result.errLines()).containsExactly("runnel: Topic 'missing' does not exist.");
    }

    @Test
    void shouldCallAnOffsetWithAGroupAUsageError() {
        Cli.Result result = cli.runnel("consume", "--topic", "t", "--group", "g", "--offset", "3");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines()).singleElement().asString().startsWith("runnel: --partition, --offset and --timestamp work without --group");
    }

    @Test
    void shouldCallTwoStartPositionsAUsageError() {
        Cli.Result result = cli.runnel("consume", "--topic", "t", "--from-beginning", "--offset", "3");

        assertThat(result.exitCode()).isEqualTo(2);
        assertThat(result.errLines()).singleElement().asString().contains("mutually exclusive");
    }

    /** Produces key, value pairs to a topic created with {@code partitions} partitions, spread round robin. */
    private void produce(String topic, int partitions, String... keysAndValues) {
        try (Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
            if (!admin.listTopics().names().get().contains(topic)) {
                KafkaClients.createTopic(broker.bootstrapServers(), topic, partitions);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
        try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers())) {
            for (int i = 0; i < keysAndValues.length; i += 2) {
                producer.send(new ProducerRecord<>(topic, (i / 2) % partitions, keysAndValues[i], keysAndValues[i + 1])).get();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
