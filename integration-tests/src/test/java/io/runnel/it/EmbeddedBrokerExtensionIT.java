package io.runnel.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.TopicReader;
import io.runnel.testkit.EmbeddedBroker;
import io.runnel.testkit.EmbeddedBrokerExtension;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The testkit's JUnit extension gives each test a running broker with the configs it was registered with. */
class EmbeddedBrokerExtensionIT {

    @RegisterExtension
    final EmbeddedBrokerExtension runnel = EmbeddedBrokerExtension.withConfig(Map.of("num.partitions", "3"));

    @Test
    void shouldInjectARunningBrokerWithTheRegisteredConfigs(EmbeddedBroker broker) throws Exception {
        assertThat(broker).isSameAs(runnel.broker());
        try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers())) {
            producer.send(new ProducerRecord<>("from-extension", "k", "v")).get();
        }

        assertThat(TopicReader.readAll(broker.bootstrapServers(), "from-extension"))
                .extracting(ConsumerRecord::value).containsExactly("v");
        try (KafkaConsumer<String, String> consumer = KafkaClients.consumer(broker.bootstrapServers())) {
            assertThat(TopicReader.partitionsOf(consumer, "from-extension")).hasSize(3);
        }
    }
}
