package io.runnel.it.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.it.support.Cli;
import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.TopicReader;
import io.runnel.testkit.EmbeddedBroker;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code runnel tls dev-certs} prints is all a newcomer needs: its broker lines make a mutual TLS
 * listener, and a Java client with its client lines produces and reads through it.
 */
class DevCertsIT {

    @TempDir
    Path tempDir;

    @Test
    void shouldGiveTheSettingsOfAMutualTlsBrokerAndItsClient() throws Exception {
        Cli.Result made = Cli.run("tls", "dev-certs", "--dir", tempDir.resolve("certs").toString(), "--client", "alice",
                "--password", "dev-secret");
        assertThat(made.exitCode()).as(made.err()).isZero();
        Map<String, String> broker = section(made.outLines(), "# broker");
        Map<String, Object> client = new HashMap<>(section(made.outLines(), "# client alice"));
        assertThat(broker).containsEntry("ssl.client.auth", "required");

        try (EmbeddedBroker tls = EmbeddedBroker.start(tempDir.resolve("data"), "SSL", broker)) {
            Map<String, Object> adminConfig = new HashMap<>(client);
            adminConfig.put("bootstrap.servers", tls.bootstrapServers());
            try (Admin admin = Admin.create(adminConfig)) {
                admin.createTopics(List.of(new NewTopic("dev-certs", 1, (short) 1))).all().get();
            }
            try (KafkaProducer<String, String> producer = KafkaClients.producer(tls.bootstrapServers(), client)) {
                producer.send(new ProducerRecord<>("dev-certs", "k", "over mutual TLS")).get();
            }
            assertThat(TopicReader.readAll(tls.bootstrapServers(), "dev-certs", client)).extracting(ConsumerRecord::value)
                    .containsExactly("over mutual TLS");
        }
    }

    /** The ssl.* and security.protocol lines of the printed section whose heading starts with {@code heading}. */
    private static Map<String, String> section(List<String> lines, String heading) {
        Map<String, String> settings = new HashMap<>();
        int start = 0;
        while (!lines.get(start).startsWith(heading)) {
            start++;
        }
        for (int i = start + 1; i < lines.size() && !lines.get(i).isBlank(); i++) {
            String line = lines.get(i);
            if (line.startsWith("ssl.") || line.startsWith("security.protocol=")) {
                settings.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            }
        }
        return settings;
    }
}
