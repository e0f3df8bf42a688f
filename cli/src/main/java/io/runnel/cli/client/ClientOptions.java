package io.runnel.cli.client;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/**
 * What every client command needs to reach a broker ({@code --bootstrap-server},
 * {@code --command-config}, {@code --property}), and the Kafka clients built from it.
 *
 * <p>A configuration is layered, later layers winning: the command line's bounded timeouts (so an
 * unreachable broker fails in seconds, not Kafka's minute), the {@code --command-config} file, each
 * {@code --property}, what the command's own options say (e.g. {@code --acks}), then any extra
 * properties (perf's {@code --producer-props}). Keys and values are byte arrays. Building a client
 * also silences the Kafka client's logging (unless {@code RUNNEL_LOG_LEVEL} is set), because it would
 * be written among the command's output. Filled in by picocli; used by the command's thread.
 */
public final class ClientOptions {

    /** How long a request may wait for its answer, unless configured. */
    static final int REQUEST_TIMEOUT_MS = 10_000;
    /** How long an admin call, a consumer lookup or a producer's wait for metadata may take, unless configured. */
    static final int API_TIMEOUT_MS = 15_000;

    @Option(names = "--bootstrap-server", defaultValue = "localhost:9092", paramLabel = "host:port",
            description = "The broker(s) to connect to (default: ${DEFAULT-VALUE}).")
    String bootstrapServer;

    @Option(names = "--command-config", paramLabel = "file",
            description = "A properties file of client configs (e.g. security settings).")
    Path commandConfig;

    @Option(names = "--property", paramLabel = "key=value",
            description = "A client config, over the file's. Repeatable.")
    Map<String, String> properties = new LinkedHashMap<>();

    /** The {@code --bootstrap-server} value. */
    public String bootstrapServer() {
        return bootstrapServer;
    }

    /** An admin client configuration. */
    public Properties adminConfig() {
        return layered(Map.of(), Map.of());
    }

    /** A producer configuration: {@code command} settings over the user's, then {@code extra} over them. */
    public Properties producerConfig(Map<String, String> command, Map<String, String> extra) {
        Properties props = layered(command, extra);
        props.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, props.getProperty("default.api.timeout.ms"));
        props.putIfAbsent(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.putIfAbsent(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return props;
    }

    /** A consumer configuration: {@code command} settings over the user's, then {@code extra} over them. */
    public Properties consumerConfig(Map<String, String> command, Map<String, String> extra) {
        Properties props = layered(command, extra);
        props.putIfAbsent(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.putIfAbsent(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        return props;
    }

    /** A new admin client; the caller closes it. */
    public Admin newAdmin() {
        return Admin.create(adminConfig());
    }

    /** A new producer of byte arrays with the command's settings; the caller closes it. */
    public KafkaProducer<byte[], byte[]> newProducer(Map<String, String> command) {
        return new KafkaProducer<>(producerConfig(command, Map.of()));
    }

    /** A new consumer of byte arrays with the command's settings; the caller closes it. */
    public KafkaConsumer<byte[], byte[]> newConsumer(Map<String, String> command) {
        return new KafkaConsumer<>(consumerConfig(command, Map.of()));
    }

    private Properties layered(Map<String, String> command, Map<String, String> extra) {
        quietClientLogging();
        Properties user = new Properties();
        user.putAll(fileProperties());
        user.putAll(properties);
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrapServer);
        props.putAll(user);
        props.putAll(command);
        props.putAll(extra);
        props.putIfAbsent("default.api.timeout.ms", Integer.toString(API_TIMEOUT_MS));
        // Admin refuses a request timeout above the API timeout: follow a lowered API timeout down.
        props.putIfAbsent("request.timeout.ms", Long.toString(Math.min(REQUEST_TIMEOUT_MS, apiTimeoutMs(props))));
        return props;
    }

    /** The configured API timeout, or the default when it is not a number (the client then refuses it). */
    static long apiTimeoutMs(Properties props) {
        try {
            return Long.parseLong(props.getProperty("default.api.timeout.ms", "").trim());
        } catch (NumberFormatException e) {
            return API_TIMEOUT_MS;
        }
    }

    private Properties fileProperties() {
        Properties file = new Properties();
        if (commandConfig != null) {
            try (Reader reader = Files.newBufferedReader(commandConfig, StandardCharsets.UTF_8)) {
                file.load(reader);
            } catch (IOException e) {
                throw new CommandFailure("cannot read " + commandConfig + ": " + e.getMessage());
            }
        }
        return file;
    }

    private static void quietClientLogging() {
        if (System.getenv("RUNNEL_LOG_LEVEL") == null && LoggerFactory.getLogger("org.apache.kafka") instanceof Logger logger) {
            logger.setLevel(Level.OFF);
        }
    }
}
