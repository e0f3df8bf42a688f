package io.runnel.it;

import static io.runnel.it.support.PrometheusText.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

import io.runnel.it.support.KafkaClients;
import io.runnel.testkit.EmbeddedBroker;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.management.ObjectName;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The metrics and health endpoint of a running broker, read over HTTP as Prometheus would, after real
 * clients produced, consumed in a group and committed: the counters and gauges say exactly what happened.
 */
class MetricsIT {

    private static final String TOPIC = "metered";
    private static final String GROUP = "metered-group";
    private static final int RECORDS = 10;
    private static final long COMMITTED = 4;

    @TempDir
    Path tempDir;

    private final HttpClient http = HttpClient.newHttpClient();
    private EmbeddedBroker broker;

    @BeforeEach
    void startBroker() {
        broker = EmbeddedBroker.start(tempDir.resolve("data"), Map.of("group.initial.rebalance.delay.ms", "0"));
    }

    @AfterEach
    void stopBroker() {
        broker.close();
    }

    @Test
    void shouldCountTopicTrafficRequestsAndOffsetsAsTheyHappened() throws Exception {
        KafkaClients.createTopic(broker.bootstrapServers(), TOPIC, 2);
        produce(RECORDS);
        consumeAllThenCommit(RECORDS, COMMITTED);

        String metrics = get("/metrics").body();

        double logBytes = value(metrics, "runnel_partition_log_size_bytes", "partition=\"0\",topic=\"" + TOPIC + "\"");
        assertThat(logBytes).isPositive();
        assertThat(value(metrics, "runnel_topic_records_in_total", "topic=\"" + TOPIC + "\"")).isEqualTo(RECORDS);
        assertThat(value(metrics, "runnel_topic_bytes_in_total", "topic=\"" + TOPIC + "\"")).isEqualTo(logBytes);
        assertThat(value(metrics, "runnel_topic_bytes_out_total", "topic=\"" + TOPIC + "\"")).isEqualTo(logBytes);
        assertThat(value(metrics, "runnel_request_duration_seconds_count", "api=\"Produce\"")).isEqualTo(RECORDS);
        assertThat(value(metrics, "runnel_request_duration_seconds_count", "api=\"CreateTopics\"")).isEqualTo(1);
        assertThat(value(metrics, "runnel_request_duration_seconds_bucket", "api=\"Produce\",le=\"+Inf\"")).isEqualTo(RECORDS);
        assertThat(value(metrics, "runnel_partition_log_end_offset", "partition=\"0\",topic=\"" + TOPIC + "\"")).isEqualTo(RECORDS);
        assertThat(value(metrics, "runnel_partition_high_watermark", "partition=\"0\",topic=\"" + TOPIC + "\"")).isEqualTo(RECORDS);
        assertThat(value(metrics, "runnel_partition_log_start_offset", "partition=\"0\",topic=\"" + TOPIC + "\"")).isZero();
        assertThat(value(metrics, "runnel_partition_log_end_offset", "partition=\"1\",topic=\"" + TOPIC + "\"")).isZero();
        assertThat(value(metrics, "runnel_consumer_group_lag", "group=\"" + GROUP + "\",partition=\"0\",topic=\"" + TOPIC + "\""))
                .isEqualTo(RECORDS - COMMITTED);
        assertThat(value(metrics, "runnel_consumer_groups", "state=\"Empty\",type=\"classic\"")).isEqualTo(1);
        assertThat(value(metrics, "runnel_partitions", "")).isEqualTo(2 + 50);   // with __consumer_offsets' 50
        assertThat(value(metrics, "runnel_partitions_led", "")).isEqualTo(2 + 50);
        assertThat(value(metrics, "runnel_partitions_under_replicated", "")).isZero();
        assertThat(value(metrics, "runnel_partitions_under_min_isr", "")).isZero();
        assertThat(value(metrics, "runnel_partitions_at_min_isr", "")).as("one replica, min.insync.replicas=1").isEqualTo(2 + 50);
        assertThat(value(metrics, "runnel_partitions_offline", "")).isZero();
        assertThat(value(metrics, "runnel_replicas_offline", "")).isZero();
        assertThat(value(metrics, "runnel_isr_shrinks_total", "")).isZero();
        assertThat(value(metrics, "runnel_isr_expands_total", "")).isZero();
        assertThat(value(metrics, "runnel_topics", "")).isEqualTo(2);   // with __consumer_offsets
        assertThat(value(metrics, "runnel_controller_active", "")).isEqualTo(1);
        assertThat(value(metrics, "runnel_controller_registered_brokers", "")).isEqualTo(1);
        assertThat(value(metrics, "runnel_controller_fenced_brokers", "")).isZero();
        assertThat(value(metrics, "runnel_metadata_offset", "")).isPositive();
        assertThat(value(metrics, "runnel_metadata_lag", "")).isZero();
    }

    @Test
    void shouldShowAnOpenTransactionHoldingTheLastStableOffsetUntilItCommits() throws Exception {
        KafkaClients.createTopic(broker.bootstrapServers(), TOPIC, 1);
        String lagRow = "partition=\"0\",topic=\"" + TOPIC + "\"";
        try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers(),
                Map.of("transactional.id", "metered-txn"))) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>(TOPIC, 0, "key-" + i, "value-" + i)).get();
            }
            String open = get("/metrics").body();
            assertThat(value(open, "runnel_transactions", "state=\"Ongoing\"")).isEqualTo(1);
            assertThat(value(open, "runnel_partition_last_stable_offset_lag", lagRow)).isEqualTo(RECORDS);
            assertThat(value(open, "runnel_transaction_verifications_seconds_count", "result=\"passed\"")).isEqualTo(1);

            producer.commitTransaction();
        }
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
            String committed = get("/metrics").body();
            assertThat(value(committed, "runnel_transactions", "state=\"CompleteCommit\"")).isEqualTo(1);
            assertThat(committed).doesNotContain("runnel_partition_last_stable_offset_lag{" + lagRow);
        });
    }

    @Test
    void shouldFollowTheGroupsCommittedOffsetsAndDropTheRowsOfADeletedGroup() throws Exception {
        KafkaClients.createTopic(broker.bootstrapServers(), TOPIC, 1);
        produce(RECORDS);
        consumeAllThenCommit(RECORDS, COMMITTED);
        String lagRow = "group=\"" + GROUP + "\",partition=\"0\",topic=\"" + TOPIC + "\"";
        assertThat(value(get("/metrics").body(), "runnel_consumer_group_lag", lagRow)).isEqualTo(RECORDS - COMMITTED);

        try (Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
            admin.alterConsumerGroupOffsets(GROUP, Map.of(new TopicPartition(TOPIC, 0), new OffsetAndMetadata(RECORDS - 1))).all().get();
            assertThat(value(get("/metrics").body(), "runnel_consumer_group_lag", lagRow)).isEqualTo(1);

            admin.deleteConsumerGroups(List.of(GROUP)).all().get();
        }
        assertThat(get("/metrics").body()).doesNotContain("runnel_consumer_group_lag{" + lagRow);
    }

    @Test
    void shouldCountErrorCodesPerApi() throws Exception {
        KafkaClients.createTopic(broker.bootstrapServers(), TOPIC, 1);
        try (Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
            Throwable failure = catchThrowable(() -> admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get());
            assertThat(failure).hasCauseInstanceOf(TopicExistsException.class);
        }

        String metrics = get("/metrics").body();

        assertThat(value(metrics, "runnel_request_errors_total", "api=\"CreateTopics\",error=\"TOPIC_ALREADY_EXISTS\"")).isEqualTo(1);
        assertThat(metrics).doesNotContain("error=\"NONE\"");
    }

    @Test
    void shouldDropTheSeriesOfADeletedTopic() throws Exception {
        KafkaClients.createTopic(broker.bootstrapServers(), TOPIC, 1);
        produce(1);
        assertThat(get("/metrics").body()).contains("topic=\"" + TOPIC + "\"");

        try (Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
            admin.deleteTopics(List.of(TOPIC)).all().get();
        }

        assertThat(get("/metrics").body()).doesNotContain("topic=\"" + TOPIC + "\"");
    }

    @Test
    void shouldServeJvmProcessAndConnectionMetersInPrometheusTextFormat() throws Exception {
        try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers())) {
            producer.partitionsFor("auto-created");
            HttpResponse<String> response = get("/metrics");

            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
            assertThat(value(response.body(), "runnel_connections", "")).isPositive();
            assertThat(response.body()).contains("# TYPE runnel_request_duration_seconds histogram",
                    "jvm_memory_used_bytes", "jvm_gc_", "jvm_threads_live_threads", "jvm_classes_loaded_classes",
                    "process_cpu_usage", "process_uptime_seconds", "process_files_open_files", "jvm_info");
        }
    }

    @Test
    void shouldAnswerHealthAndReadinessAndRefuseUnknownPathsAndMethods() throws Exception {
        assertThat(get("/health").statusCode()).isEqualTo(200);
        HttpResponse<String> ready = get("/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(ready.body()).isEqualTo("ready\n");
        assertThat(get("/nothing-here").statusCode()).isEqualTo(404);
        HttpResponse<String> post = http.send(HttpRequest.newBuilder(uri("/metrics")).POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(post.statusCode()).isEqualTo(405);
        assertThat(post.headers().firstValue("Allow")).hasValue("GET, HEAD");
        assertThat(get("/health").statusCode()).as("still serving after bad requests").isEqualTo(200);
    }

    @Test
    void shouldRegisterJmxMBeans() throws Exception {
        KafkaClients.createTopic(broker.bootstrapServers(), TOPIC, 1);

        ObjectName runnelDomain = new ObjectName("runnel:*");

        // A request timer is registered once the response is written, which may be just after the client has it.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                ManagementFactory.getPlatformMBeanServer().queryNames(runnelDomain, null)).extracting(ObjectName::toString)
                .anyMatch(name -> name.contains("runnelRequestDuration") && name.contains("CreateTopics"))
                .anyMatch(name -> name.contains("runnelPartitionLogEndOffset") && name.contains(TOPIC)));
    }

    @Test
    void shouldRefuseToStartWhenTheMetricsPortIsTaken() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Throwable failure = catchThrowable(() -> EmbeddedBroker.start(tempDir.resolve("other"),
                    Map.of("metrics.port", Integer.toString(taken.getLocalPort()))));

            assertThat(failure).isInstanceOf(java.io.UncheckedIOException.class);
            assertThat(failure.getCause()).hasMessageContaining("cannot serve metrics on localhost:" + taken.getLocalPort());
        }
    }

    @Test
    void shouldServeNoEndpointWhenMetricsPortIsMinusOne() {
        try (EmbeddedBroker off = EmbeddedBroker.start(tempDir.resolve("off"), Map.of("metrics.port", "-1"))) {
            assertThat(off.metricsPort()).isEqualTo(-1);
        }
    }

    private void produce(int count) throws Exception {
        try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(TOPIC, 0, "key-" + i, "value-" + i)).get();
            }
        }
    }

    private void consumeAllThenCommit(int expected, long committedOffset) {
        try (KafkaConsumer<String, String> consumer = KafkaClients.consumer(broker.bootstrapServers(), Map.of("group.id", GROUP))) {
            consumer.subscribe(List.of(TOPIC));
            List<ConsumerRecord<String, String>> read = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                consumer.poll(Duration.ofMillis(100)).forEach(read::add);
                return read.size() >= expected;
            });
            consumer.commitSync(Map.of(new TopicPartition(TOPIC, 0), new OffsetAndMetadata(committedOffset)));
        }
    }

    private HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(uri(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
    }

    private URI uri(String path) {
        return URI.create("http://localhost:" + broker.metricsPort() + path);
    }
}
