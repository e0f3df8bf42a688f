package io.runnel.cli.perf;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * What every perf command needs to reach a broker: {@code --bootstrap-server}, and the client
 * configurations built from it (byte-array keys and values; user properties win). Building a
 * configuration also turns the Kafka client's INFO logging down, so that only the progress lines and
 * the result table are printed.
 */
final class ClientOptions {

    @Option(names = "--bootstrap-server", defaultValue = "localhost:9092", paramLabel = "host:port",
            description = "The broker to connect to (default: ${DEFAULT-VALUE}).")
    String bootstrapServer;

    /** A producer configuration: {@code defaults}, then {@code user} over them. */
    Properties producer(Map<String, String> defaults, Map<String, String> user) {
        Properties props = base(defaults, user);
        props.putIfAbsent(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.putIfAbsent(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return props;
    }

    /** A consumer configuration: {@code defaults}, then {@code user} over them. */
    Properties consumer(Map<String, String> defaults, Map<String, String> user) {
        Properties props = base(defaults, user);
        props.putIfAbsent(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.putIfAbsent(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return props;
    }

    private Properties base(Map<String, String> defaults, Map<String, String> user) {
        quietClientLogging();
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServer);
        props.putAll(defaults);
        props.putAll(user);
        return props;
    }

    private static void quietClientLogging() {
        if (LoggerFactory.getLogger("org.apache.kafka") instanceof Logger logger) {
            logger.setLevel(Level.WARN);
        }
    }
}
