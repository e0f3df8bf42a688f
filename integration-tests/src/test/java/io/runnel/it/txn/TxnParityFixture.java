package io.runnel.it.txn;

import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.RawKafkaConnection;
import io.runnel.it.support.RawTransaction;
import io.runnel.it.support.TargetBroker;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker a transaction differential test (docs/transactions.md section 10) runs against, Runnel or
 * Apache Kafka 4.3.1 ({@link TargetBroker}), and a raw connection per test. A reference Kafka node
 * needs the same {@link #OVERRIDES} in its server.properties.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class TxnParityFixture {

    /** Few coordinator partitions, so they load fast; timed-out transactions looked for every second (D-15). */
    static final Map<String, String> OVERRIDES = Map.of("transaction.state.log.num.partitions", "3", "offsets.topic.num.partitions", "3",
            "transaction.abort.timed.out.transaction.cleanup.interval.ms", "1000");

    @TempDir
    static Path dataDir;

    TargetBroker broker;
    /** A topic of two partitions the class shares. */
    String topic;
    RawKafkaConnection raw;

    @BeforeAll
    void startBroker() {
        broker = TargetBroker.start(dataDir, OVERRIDES);
        topic = newTopic(getClass().getSimpleName().toLowerCase(Locale.ROOT), 2);
    }

    @AfterAll
    void stopBroker() {
        broker.close();
    }

    @BeforeEach
    void connect() {
        raw = RawKafkaConnection.open(broker.bootstrapServers());
    }

    @AfterEach
    void disconnect() {
        raw.close();
    }

    /** A topic of its own, named after {@code name} and unique to the run. */
    String newTopic(String name, int partitions) {
        String created = TargetBroker.unique(name);
        KafkaClients.createTopic(broker.bootstrapServers(), created, partitions);
        return created;
    }

    /** A topic of one partition with the topic {@code configs}, named after {@code name} and unique to the run. */
    String newTopic(String name, Map<String, String> configs) {
        String created = TargetBroker.unique(name);
        try (Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
            admin.createTopics(List.of(new NewTopic(created, 1, (short) 1).configs(configs))).all().get(30, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new AssertionError("creating " + created, e);
        }
        return created;
    }

    /** A transactional id of its own, named after {@code name}, its coordinator found. */
    RawTransaction transaction(String name) {
        return RawTransaction.of(raw, TargetBroker.unique("parity-" + name));
    }
}
