package io.runnel.it.txn;

import static org.assertj.core.api.Assertions.assertThat;

import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.KafkaTools;
import io.runnel.it.support.TargetBroker;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kafka-features.sh} changes the finalized {@code transaction.version} as on Kafka 4.3.1, with
 * Kafka's refusals, and the Java client follows it: at level 1 a producer keeps its epoch across
 * transactions (the first protocol), back at level 2 it bumps it with each one (KIP-890). Also passes
 * against Kafka ({@link TargetBroker}); it ends at level 2, as it began.
 */
class TransactionVersionFeatureIT {

    private static final String FEATURES = "org.apache.kafka.tools.FeatureCommand";

    @TempDir
    Path tempDir;

    private TargetBroker broker;

    @BeforeEach
    void start() {
        broker = TargetBroker.start(tempDir.resolve("data"), Map.of("transaction.state.log.num.partitions", "1", "offsets.topic.num.partitions", "1"));
    }

    @AfterEach
    void stop() {
        broker.close();
    }

    @Test
    void shouldDowngradeAndUpgradeTheTransactionProtocolAsKafkaDoes() throws Exception {
        String topic = TargetBroker.unique("features");
        KafkaClients.createTopic(broker.bootstrapServers(), topic, 1);

        KafkaTools downgrade = new KafkaTools(tempDir, "features-downgrade");
        int describedBefore = features(downgrade, "describe");
        int toOne = features(downgrade, "downgrade", "--feature", "transaction.version=1");
        int tooHigh = features(downgrade, "upgrade", "--feature", "transaction.version=3");
        int unknown = features(downgrade, "upgrade", "--feature", "no.such.version=1");
        int upwardDowngrade = features(downgrade, "downgrade", "--feature", "transaction.version=2");
        int dryRun = features(downgrade, "downgrade", "--unsafe", "--feature", "transaction.version=0", "--dry-run");
        int describedAtOne = features(downgrade, "describe");
        KafkaTools.Output first = downgrade.run();

        assertThat(line(first.of(describedBefore))).contains("SupportedMinVersion: 0").contains("SupportedMaxVersion: 2")
                .contains("FinalizedVersionLevel: 2");
        assertThat(first.of(toOne)).containsExactly("transaction.version was downgraded to 1.");
        assertThat(first.exitCode(tooHigh)).isEqualTo(1);
        assertThat(String.join("\n", first.of(tooHigh))).contains("Could not upgrade transaction.version to 3. The update failed for all "
                + "features since the following feature had an error: Invalid update version 3 for feature transaction.version.")
                .contains("only supports versions 0-2");
        assertThat(String.join("\n", first.of(unknown))).contains("Invalid update version 1 for feature no.such.version.")
                .contains("does not support this feature");
        assertThat(String.join("\n", first.of(upwardDowngrade))).contains("Can't downgrade to a newer version.");
        assertThat(first.of(dryRun)).containsExactly("transaction.version can be downgraded to 0.");
        assertThat(line(first.of(describedAtOne))).contains("FinalizedVersionLevel: 1");

        assertThat(epochsOfTwoCommits(topic, "at-level-1")).as("the first protocol keeps the epoch").isEqualTo(0);

        KafkaTools upgrade = new KafkaTools(tempDir, "features-upgrade");
        int toTwo = features(upgrade, "upgrade", "--feature", "transaction.version=2");
        assertThat(upgrade.run().assertEveryStepSucceeded().of(toTwo)).containsExactly("transaction.version was upgraded to 2.");

        assertThat(epochsOfTwoCommits(topic, "at-level-2")).as("the second protocol bumps it per transaction").isEqualTo(1);
    }

    private int features(KafkaTools tools, String... args) {
        String[] all = new String[args.length + 2];
        all[0] = "--bootstrap-server";
        all[1] = broker.bootstrapServers();
        System.arraycopy(args, 0, all, 2, args.length);
        return tools.step(FEATURES, all);
    }

    /** The transaction.version line of a describe. */
    private static String line(List<String> described) {
        return described.stream().filter(l -> l.startsWith("Feature: transaction.version")).findFirst().orElseThrow();
    }

    /** How much a new producer's epoch rose between its first and its second committed transaction. */
    private int epochsOfTwoCommits(String topic, String name) throws Exception {
        String transactionalId = TargetBroker.unique(name);
        try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers(), Map.of("transactional.id", transactionalId));
             Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
            producer.initTransactions();
            commitOne(producer, topic);
            int first = admin.describeTransactions(List.of(transactionalId)).description(transactionalId).get().producerEpoch();
            commitOne(producer, topic);
            int second = admin.describeTransactions(List.of(transactionalId)).description(transactionalId).get().producerEpoch();
            return second - first;
        }
    }

    private static void commitOne(KafkaProducer<String, String> producer, String topic) {
        producer.beginTransaction();
        producer.send(new ProducerRecord<>(topic, "k", "v"));
        producer.commitTransaction();
    }
}
