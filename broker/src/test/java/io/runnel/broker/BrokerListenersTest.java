package io.runnel.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.broker.config.BrokerConfig;
import io.runnel.broker.config.Listener;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerListenersTest {

    @TempDir
    Path dataDir;

    @Test
    void shouldServeKafkaClientsOnEveryBrokerListener() throws Exception {
        BrokerConfig config = BrokerConfig.parse(Map.of(
                "listeners", "PLAINTEXT://localhost:0,INTERNAL://127.0.0.1:0",
                "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,INTERNAL:PLAINTEXT",
                "log.dirs", dataDir.toString(), "metrics.port", "-1"));
        try (Broker broker = Broker.start(config)) {
            Map<String, Listener> endpoints = broker.advertisedEndpoints();
            assertThat(endpoints).containsOnlyKeys("PLAINTEXT", "INTERNAL");
            assertThat(endpoints.get("PLAINTEXT")).isEqualTo(new Listener("PLAINTEXT", "localhost", broker.boundPort()));
            assertThat(endpoints.get("INTERNAL").host()).isEqualTo("127.0.0.1");
            assertThat(endpoints.get("INTERNAL").port()).isPositive().isNotEqualTo(broker.boundPort());

            for (Listener endpoint : endpoints.values()) {
                String bootstrap = endpoint.host() + ":" + endpoint.port();
                String topic = "via-" + endpoint.name();
                try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                    admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get();
                    assertThat(admin.describeCluster().nodes().get()).hasSize(1);
                }
                try (KafkaProducer<String, String> producer = new KafkaProducer<>(clientProperties(bootstrap),
                        new StringSerializer(), new StringSerializer())) {
                    producer.send(new ProducerRecord<>(topic, "k", "sent via " + endpoint.name())).get();
                }
                assertThat(consumeOne(bootstrap, topic)).isEqualTo("sent via " + endpoint.name());
            }
        }
    }

    private static Properties clientProperties(String bootstrap) {
        Properties properties = new Properties();
        properties.put("bootstrap.servers", bootstrap);
        return properties;
    }

    private static String consumeOne(String bootstrap, String topic) {
        Properties properties = clientProperties(bootstrap);
        properties.put("group.id", "reader-" + topic);
        properties.put("auto.offset.reset", "earliest");
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(properties, new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(topic));
            List<String> values = new ArrayList<>();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (values.isEmpty() && System.nanoTime() < deadline) {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
            }
            return values.isEmpty() ? null : values.get(0);
        }
    }
}
