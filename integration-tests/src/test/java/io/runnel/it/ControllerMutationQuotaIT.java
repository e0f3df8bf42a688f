package io.runnel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.runnel.it.support.KafkaClients;
import io.runnel.testkit.EmbeddedBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreatePartitionsOptions;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DeleteTopicsOptions;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.ThrottlingQuotaExceededException;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.quota.ClientQuotaFilter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * controller_mutation_rate (KIP-599) on a real Admin client: partitions created or deleted beyond the
 * client's token bucket are refused with THROTTLING_QUOTA_EXCEEDED and the time to wait, which the Admin
 * client surfaces when told not to retry on a quota violation (the options' {@code retryOnQuotaViolation(false)})
 * and otherwise waits out and retries.
 */
class ControllerMutationQuotaIT {

    /** A bucket of one second: the burst a client may take at once is its rate. */
    private static final Map<String, String> ONE_SECOND_BURST = Map.of("controller.quota.window.num", "1");
    /** A partition every five seconds: a client that took two partitions owes nine seconds, far longer than a slow machine's request. */
    private static final double SLOW = 0.2;
    /** Two partitions per second, so a burst of two partitions. */
    private static final double FAST = 2;

    @TempDir
    Path tempDir;

    private static void limitMutations(Admin admin, String clientId, double rate) throws Exception {
        ClientQuotaEntity entity = new ClientQuotaEntity(Map.of(ClientQuotaEntity.CLIENT_ID, clientId));
        admin.alterClientQuotas(List.of(new ClientQuotaAlteration(entity, List.of(new ClientQuotaAlteration.Op("controller_mutation_rate", rate)))))
                .all().get();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> admin.describeClientQuotas(ClientQuotaFilter.all()).entities().get().containsKey(entity));
    }

    private static Admin admin(EmbeddedBroker broker, String clientId) {
        return Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers(), "client.id", clientId));
    }

    /** Creates a topic, the Admin client waiting out and retrying quota violations (its default). */
    private static void create(Admin admin, String topic, int partitions) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
    }

    private static void createOnce(Admin admin, String topic, int partitions) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1)), new CreateTopicsOptions().retryOnQuotaViolation(false)).all().get();
    }

    @Test
    void shouldRefuseTopicsOverTheQuotaWithTheTimeToWait() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(tempDir, ONE_SECOND_BURST);
             Admin operator = KafkaClients.admin(broker.bootstrapServers());
             Admin limited = admin(broker, "mutator")) {
            limitMutations(operator, "mutator", SLOW);

            create(limited, "big", 2); // 0.2 tokens in the bucket: accepted whole, 1.8 owed

            assertThatThrownBy(() -> createOnce(limited, "refused", 1))
                    .isInstanceOf(ExecutionException.class)
                    .cause().isInstanceOfSatisfying(ThrottlingQuotaExceededException.class,
                            e -> assertThat(e.throttleTimeMs()).isBetween(1, 9_000));
            assertThat(operator.listTopics().names().get()).contains("big").doesNotContain("refused");
            create(operator, "unlimited", 4);
        }
    }

    @Test
    void shouldLetTheAdminClientWaitOutTheQuotaAndRetry() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(tempDir, ONE_SECOND_BURST);
             Admin operator = KafkaClients.admin(broker.bootstrapServers());
             Admin limited = admin(broker, "mutator")) {
            limitMutations(operator, "mutator", FAST);
            long start = System.nanoTime();

            create(limited, "big", 4);
            create(limited, "after", 1);

            // two partitions owed at two per second: "after" cannot have been created in less than a second
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
            assertThat(operator.listTopics().names().get()).contains("big", "after");
        }
    }

    @Test
    void shouldCountPartitionsAddedAndDeleted() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(tempDir, ONE_SECOND_BURST);
             Admin operator = KafkaClients.admin(broker.bootstrapServers());
             Admin grower = admin(broker, "grower");
             Admin deleter = admin(broker, "deleter")) {
            create(operator, "grown", 1);
            create(operator, "first", 2);
            create(operator, "doomed", 1);
            limitMutations(operator, "grower", SLOW);
            limitMutations(operator, "deleter", SLOW);

            grower.createPartitions(Map.of("grown", NewPartitions.increaseTo(3))).all().get(); // two added: 1.8 owed
            deleter.deleteTopics(List.of("first")).all().get(); // two deleted: 1.8 owed

            assertThatThrownBy(() -> grower.createPartitions(Map.of("grown", NewPartitions.increaseTo(4)),
                    new CreatePartitionsOptions().retryOnQuotaViolation(false)).all().get())
                    .cause().isInstanceOf(ThrottlingQuotaExceededException.class);
            assertThatThrownBy(() -> deleter.deleteTopics(List.of("doomed"), new DeleteTopicsOptions().retryOnQuotaViolation(false)).all().get())
                    .cause().isInstanceOf(ThrottlingQuotaExceededException.class);
            assertThat(operator.describeTopics(List.of("grown")).allTopicNames().get().get("grown").partitions()).hasSize(3);
            assertThat(operator.listTopics().names().get()).contains("doomed").doesNotContain("first");
        }
    }
}
