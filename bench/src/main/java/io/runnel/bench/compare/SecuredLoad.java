package io.runnel.bench.compare;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * One of Kafka's tools ({@link ProducerPerformanceLoad}, {@link ConsumerPerformanceLoad}) run over an
 * SSL or SASL_SSL listener: the same load with {@code --command-config} naming the client properties
 * of {@link ListenerSecurity}, pointed at that listener. Its prefill, if any, still goes over
 * PLAINTEXT: it is not measured.
 *
 * @param load the load as it runs over PLAINTEXT
 * @param protocol the listener's protocol
 * @param clientConfig the properties file with {@code security.protocol}, the truststore and the SASL login
 */
record SecuredLoad(Load load, SecurityProtocol protocol, Path clientConfig) implements Load {

    @Override
    public TopicSpec topic() {
        return load.topic();
    }

    @Override
    public long prefillRecords() {
        return load.prefillRecords();
    }

    @Override
    public JavaCommand prefill(Toolbox toolbox, String bootstrap) throws IOException {
        return load.prefill(toolbox, bootstrap);
    }

    /** The load's command with {@code --command-config} first (the producer tool's last option takes a list). */
    @Override
    public JavaCommand command(Toolbox toolbox, String bootstrap) throws IOException {
        JavaCommand plain = load.command(toolbox, bootstrap);
        List<String> arguments = new ArrayList<>(List.of("--command-config", clientConfig.toString()));
        arguments.addAll(plain.arguments());
        return new JavaCommand(plain.java(), plain.options(), plain.classpath(), plain.mainClass(), arguments);
    }

    @Override
    public Map<Metric, Double> parse(String output) throws LoadFailedException {
        return load.parse(output);
    }

    @Override
    public long bytesMoved() {
        return load.bytesMoved();
    }
}
