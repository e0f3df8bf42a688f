package io.runnel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.runnel.it.support.KafkaClients;
import io.runnel.testkit.EmbeddedBroker;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.GroupAuthorizationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the standard authorizer lets real kafka-clients do on PLAINTEXT, where every client is
 * User:ANONYMOUS: nothing without ACLs (Kafka's authorization exceptions), what ACLs granted through
 * Admin allow once the broker runs without super users (they are in the metadata log, so they outlive
 * the restart that drops the super user), prefixed ACLs, and a DENY that beats an ALLOW.
 */
class AuthorizationIT {

    private static final String AUTHORIZER = "org.apache.kafka.metadata.authorizer.StandardAuthorizer";
    private static final String ANONYMOUS = "User:ANONYMOUS";

    @TempDir
    Path tempDir;

    @Test
    void shouldRefuseAnAnonymousProducerConsumerAndAdminWithoutAcls() throws Exception {
        try (EmbeddedBroker broker = brokerWithAcls(List.of(), "orders")) {
            try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers(), Map.of("enable.idempotence", "false",
                    "max.block.ms", "10000"))) {
                assertThatThrownBy(() -> producer.send(new ProducerRecord<>("orders", "k", "v")).get())
                        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
            }
            try (KafkaConsumer<String, String> consumer = KafkaClients.consumer(broker.bootstrapServers())) {
                consumer.assign(List.of(new TopicPartition("orders", 0)));
                assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(10))).isInstanceOf(TopicAuthorizationException.class);
            }
            try (Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
                assertThat(admin.listTopics().names().get()).as("topics it may not describe are left out").isEmpty();
                assertThatThrownBy(() -> admin.createTopics(List.of(new NewTopic("payments", 1, (short) 1))).all().get())
                        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
                assertThatThrownBy(() -> admin.deleteTopics(List.of("orders")).all().get())
                        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
            }
        }
    }

    @Test
    void shouldLetAProducerAndAGroupConsumerWorkWithTheAclsGranted() throws Exception {
        List<AclBinding> acls = List.of(
                allow(ResourceType.TOPIC, "orders", PatternType.LITERAL, AclOperation.WRITE),
                allow(ResourceType.TOPIC, "orders", PatternType.LITERAL, AclOperation.READ),
                allow(ResourceType.GROUP, "billing", PatternType.LITERAL, AclOperation.READ));
        try (EmbeddedBroker broker = brokerWithAcls(acls, "orders")) {
            try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers())) {
                producer.send(new ProducerRecord<>("orders", "k", "paid")).get();
            }

            assertThat(consumeAll(broker, "orders", "billing")).containsExactly("paid");
        }
    }

    @Test
    void shouldRefuseAGroupConsumerWithoutReadOnTheGroup() throws Exception {
        try (EmbeddedBroker broker = brokerWithAcls(List.of(allow(ResourceType.TOPIC, "orders", PatternType.LITERAL, AclOperation.READ)), "orders");
             KafkaConsumer<String, String> consumer = KafkaClients.consumer(broker.bootstrapServers(), Map.of("group.id", "billing"))) {
            consumer.subscribe(List.of("orders"));

            assertThatThrownBy(() -> consumer.poll(Duration.ofSeconds(10))).isInstanceOf(GroupAuthorizationException.class);
        }
    }

    @Test
    void shouldListDescribeAndCommitOnlyWhatTheAclsAllow() throws Exception {
        List<AclBinding> acls = List.of(
                allow(ResourceType.GROUP, "billing", PatternType.LITERAL, AclOperation.READ),
                allow(ResourceType.GROUP, "billing", PatternType.LITERAL, AclOperation.DELETE),
                allow(ResourceType.TOPIC, "orders", PatternType.LITERAL, AclOperation.READ));
        AdminSetup groups = admin -> {
            for (String group : List.of("billing", "audit")) {
                admin.alterConsumerGroupOffsets(group, Map.of(new TopicPartition("orders", 0), new OffsetAndMetadata(0),
                        new TopicPartition("payments", 0), new OffsetAndMetadata(0))).all().get();
            }
        };
        try (EmbeddedBroker broker = brokerWithAcls(acls, groups, "orders", "payments")) {
            try (Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
                // the restarted coordinator loads the groups from __consumer_offsets in the background
                Awaitility.await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> assertThat(admin.listGroups().all().get())
                        .extracting(org.apache.kafka.clients.admin.GroupListing::groupId).containsExactly("billing"));
                assertThat(admin.listConsumerGroupOffsets("billing").partitionsToOffsetAndMetadata().get())
                        .as("the offsets of topics it may not describe are left out").containsOnlyKeys(new TopicPartition("orders", 0));
                assertThatThrownBy(() -> admin.deleteConsumerGroupOffsets("billing", java.util.Set.of(new TopicPartition("payments", 0))).all().get())
                        .as("OffsetDelete needs READ on the topic").isInstanceOf(ExecutionException.class)
                        .hasCauseInstanceOf(TopicAuthorizationException.class);
                assertThatThrownBy(() -> admin.describeConsumerGroups(List.of("audit")).all().get())
                        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(GroupAuthorizationException.class);
            }
            try (KafkaConsumer<String, String> consumer = KafkaClients.consumer(broker.bootstrapServers(), Map.of("group.id", "billing"))) {
                consumer.commitSync(Map.of(new TopicPartition("orders", 0), new OffsetAndMetadata(0)));

                assertThatThrownBy(() -> consumer.commitSync(Map.of(new TopicPartition("payments", 0), new OffsetAndMetadata(0))))
                        .isInstanceOf(TopicAuthorizationException.class);
            }
        }
    }

    @Test
    void shouldDescribeAndAlterOnlyTheConfigsAndRecordsTheAclsAllow() throws Exception {
        List<AclBinding> acls = List.of(allow(ResourceType.TOPIC, "orders", PatternType.LITERAL, AclOperation.ALTER_CONFIGS));
        try (EmbeddedBroker broker = brokerWithAcls(acls, "orders", "payments");
             Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
            ConfigResource orders = new ConfigResource(ConfigResource.Type.TOPIC, "orders");
            admin.incrementalAlterConfigs(Map.of(orders, List.of(new AlterConfigOp(new ConfigEntry("retention.ms", "60000"),
                    AlterConfigOp.OpType.SET)))).all().get();

            assertThat(admin.describeConfigs(List.of(orders)).all().get().get(orders).get("retention.ms").value())
                    .as("ALTER_CONFIGS implies DESCRIBE_CONFIGS").isEqualTo("60000");
            assertThatThrownBy(() -> admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.TOPIC, "payments"))).all().get())
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
            assertThatThrownBy(() -> admin.describeConfigs(List.of(new ConfigResource(ConfigResource.Type.BROKER, "1"))).all().get())
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(ClusterAuthorizationException.class);
            TopicPartition ordersPartition = new TopicPartition("orders", 0);
            assertThatThrownBy(() -> admin.deleteRecords(Map.of(ordersPartition, RecordsToDelete.beforeOffset(0))).all().get())
                    .as("DeleteRecords needs DELETE").isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
            assertThatThrownBy(() -> admin.describeProducers(List.of(ordersPartition)).all().get())
                    .as("DescribeProducers needs READ").isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
        }
    }

    @Test
    void shouldRunTransactionsOnlyForTheTransactionalIdsGranted() throws Exception {
        List<AclBinding> acls = List.of(
                allow(ResourceType.TRANSACTIONAL_ID, "granted", PatternType.LITERAL, AclOperation.WRITE),
                allow(ResourceType.TOPIC, "orders", PatternType.LITERAL, AclOperation.WRITE),
                // the leader verifies transactional partitions with the coordinator over the listener, as a broker:
                // on PLAINTEXT that is User:ANONYMOUS too, which then needs CLUSTER_ACTION, as in Kafka
                allow(ResourceType.CLUSTER, "kafka-cluster", PatternType.LITERAL, AclOperation.CLUSTER_ACTION));
        try (EmbeddedBroker broker = brokerWithAcls(acls, "orders")) {
            try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers(), Map.of("transactional.id", "other",
                    "max.block.ms", "10000"))) {
                assertThatThrownBy(producer::initTransactions).isInstanceOf(TransactionalIdAuthorizationException.class);
            }
            try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers(), Map.of("transactional.id", "granted"))) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>("orders", "k", "v")).get();
                producer.commitTransaction();
            }
            try (Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
                assertThat(admin.listTransactions().all().get()).extracting(listing -> listing.transactionalId()).containsExactly("granted");
            }
        }
    }

    /** The producer is idempotent (Kafka's default): its InitProducerId passes on WRITE to some topic, here a prefix. */
    @Test
    void shouldGrantEveryTopicOfAPrefix() throws Exception {
        try (EmbeddedBroker broker = brokerWithAcls(List.of(allow(ResourceType.TOPIC, "ord", PatternType.PREFIXED, AclOperation.WRITE)),
                "orders", "payments")) {
            try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers(), Map.of("max.block.ms", "10000"))) {
                producer.send(new ProducerRecord<>("orders", "k", "v")).get();

                assertThatThrownBy(() -> producer.send(new ProducerRecord<>("payments", "k", "v")).get())
                        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
            }
        }
    }

    @Test
    void shouldLetADenyBeatAnAllow() throws Exception {
        List<AclBinding> acls = List.of(
                allow(ResourceType.TOPIC, "*", PatternType.LITERAL, AclOperation.ALL),
                new AclBinding(new ResourcePattern(ResourceType.TOPIC, "secret", PatternType.LITERAL),
                        new AccessControlEntry(ANONYMOUS, "*", AclOperation.WRITE, AclPermissionType.DENY)));
        try (EmbeddedBroker broker = brokerWithAcls(acls, "orders", "secret")) {
            try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers(), Map.of("max.block.ms", "10000"))) {
                producer.send(new ProducerRecord<>("orders", "k", "v")).get();

                assertThatThrownBy(() -> producer.send(new ProducerRecord<>("secret", "k", "v")).get())
                        .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(TopicAuthorizationException.class);
            }
            try (Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
                assertThat(admin.listTopics().names().get()).as("a DENY WRITE does not deny DESCRIBE").containsExactlyInAnyOrder("orders", "secret");
            }
        }
    }

    @Test
    void shouldLetSuperUsersDoAnythingWithoutAcls() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(tempDir.resolve("super"), Map.of("authorizer.class.name", AUTHORIZER,
                "super.users", "User:admin;" + ANONYMOUS))) {
            try (KafkaProducer<String, String> producer = KafkaClients.producer(broker.bootstrapServers())) {
                producer.send(new ProducerRecord<>("auto-created", "k", "v")).get();
            }
            assertThat(consumeAll(broker, "auto-created", "any-group")).containsExactly("v");
        }
    }

    /**
     * A broker that holds {@code topics} and {@code acls}, set up while the anonymous client was a super
     * user, then restarted on the same data without super users.
     */
    private EmbeddedBroker brokerWithAcls(List<AclBinding> acls, String... topics) throws Exception {
        return brokerWithAcls(acls, admin -> { }, topics);
    }

    /** As {@link #brokerWithAcls(List, String...)}, with more done by {@code superUserWork} while the anonymous client is a super user. */
    private EmbeddedBroker brokerWithAcls(List<AclBinding> acls, AdminSetup superUserWork, String... topics) throws Exception {
        Path data = tempDir.resolve("data");
        try (EmbeddedBroker setup = EmbeddedBroker.start(data, Map.of("authorizer.class.name", AUTHORIZER, "super.users", ANONYMOUS));
             Admin admin = KafkaClients.admin(setup.bootstrapServers())) {
            List<NewTopic> newTopics = new ArrayList<>();
            for (String topic : topics) {
                newTopics.add(new NewTopic(topic, 1, (short) 1));
            }
            admin.createTopics(newTopics).all().get();
            if (!acls.isEmpty()) {
                admin.createAcls(acls).all().get();
            }
            superUserWork.run(admin);
        }
        Map<String, String> configs = new HashMap<>(Map.of("authorizer.class.name", AUTHORIZER, "group.initial.rebalance.delay.ms", "0"));
        return EmbeddedBroker.start(data, configs);
    }

    /** Work done through an admin client of the super user. */
    @FunctionalInterface
    private interface AdminSetup {
        void run(Admin admin) throws Exception;
    }

    private static AclBinding allow(ResourceType type, String name, PatternType patternType, AclOperation operation) {
        return new AclBinding(new ResourcePattern(type, name, patternType), new AccessControlEntry(ANONYMOUS, "*", operation, AclPermissionType.ALLOW));
    }

    private static List<String> consumeAll(EmbeddedBroker broker, String topic, String group) {
        List<String> values = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = KafkaClients.consumer(broker.bootstrapServers(), Map.of("group.id", group))) {
            consumer.subscribe(List.of(topic));
            Awaitility.await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(200))) {
                    values.add(record.value());
                }
                return !values.isEmpty();
            });
            consumer.commitSync();
        }
        return values;
    }
}
