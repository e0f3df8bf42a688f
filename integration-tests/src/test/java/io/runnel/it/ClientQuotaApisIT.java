package io.runnel.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.runnel.it.support.KafkaClients;
import io.runnel.it.support.KafkaTools;
import io.runnel.it.support.RawKafkaConnection;
import io.runnel.it.support.TargetBroker;
import io.runnel.testkit.EmbeddedBroker;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.apache.kafka.common.message.AlterClientQuotasRequestData;
import org.apache.kafka.common.message.AlterClientQuotasResponseData;
import org.apache.kafka.common.message.DescribeClientQuotasRequestData;
import org.apache.kafka.common.message.DescribeClientQuotasResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.quota.ClientQuotaAlteration;
import org.apache.kafka.common.quota.ClientQuotaEntity;
import org.apache.kafka.common.quota.ClientQuotaFilter;
import org.apache.kafka.common.quota.ClientQuotaFilterComponent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * AlterClientQuotas and DescribeClientQuotas through kafka-clients' Admin, raw requests for the bad
 * input Admin would not send, and Kafka's kafka-configs tool. The answers to bad input are Kafka 4.3.1's:
 * run this class with {@code -Drunnel.it.reference.bootstrap} against a Kafka broker to see the same.
 */
class ClientQuotaApisIT {

    @TempDir
    Path tempDir;

    /** Per test: a reference broker keeps what earlier tests made. */
    private final String test = Long.toString(System.nanoTime(), 36);
    private final String alice = TargetBroker.unique("alice-" + test);
    private final String app = TargetBroker.unique("app-" + test);

    private static ClientQuotaEntity entity(String... typesAndNames) {
        Map<String, String> entries = new HashMap<>();
        for (int i = 0; i < typesAndNames.length; i += 2) {
            entries.put(typesAndNames[i], typesAndNames[i + 1]);
        }
        return new ClientQuotaEntity(entries);
    }

    private static ClientQuotaAlteration set(ClientQuotaEntity entity, String key, Double value) {
        return new ClientQuotaAlteration(entity, List.of(new ClientQuotaAlteration.Op(key, value)));
    }

    @Test
    void shouldAlterAndDescribeQuotasThroughAdmin() throws Exception {
        try (TargetBroker broker = TargetBroker.start(tempDir, Map.of());
             Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
            ClientQuotaEntity aliceApp = entity(ClientQuotaEntity.USER, alice, ClientQuotaEntity.CLIENT_ID, app);
            ClientQuotaEntity aliceAlone = entity(ClientQuotaEntity.USER, alice);
            admin.alterClientQuotas(List.of(
                    new ClientQuotaAlteration(aliceApp, List.of(new ClientQuotaAlteration.Op("producer_byte_rate", 1024.0),
                            new ClientQuotaAlteration.Op("consumer_byte_rate", 2048.0))),
                    set(aliceAlone, "request_percentage", 12.5))).all().get();

            // Kafka's brokers see a change a moment after the controller answers; Runnel's answers once it sees it
            await().untilAsserted(() -> {
                Map<ClientQuotaEntity, Map<String, Double>> aliceQuotas = admin.describeClientQuotas(ClientQuotaFilter.contains(
                        List.of(ClientQuotaFilterComponent.ofEntity(ClientQuotaEntity.USER, alice)))).entities().get();
                assertThat(aliceQuotas).containsOnlyKeys(aliceApp, aliceAlone);
                assertThat(aliceQuotas.get(aliceApp)).isEqualTo(Map.of("producer_byte_rate", 1024.0, "consumer_byte_rate", 2048.0));
            });
            assertThat(admin.describeClientQuotas(ClientQuotaFilter.containsOnly(List.of(ClientQuotaFilterComponent.ofEntity(ClientQuotaEntity.USER, alice))))
                    .entities().get()).isEqualTo(Map.of(aliceAlone, Map.of("request_percentage", 12.5)));

            admin.alterClientQuotas(List.of(set(aliceApp, "producer_byte_rate", null))).all().get();

            await().untilAsserted(() -> assertThat(admin.describeClientQuotas(ClientQuotaFilter.containsOnly(List.of(
                    ClientQuotaFilterComponent.ofEntity(ClientQuotaEntity.USER, alice),
                    ClientQuotaFilterComponent.ofEntity(ClientQuotaEntity.CLIENT_ID, app)))).entities().get())
                    .isEqualTo(Map.of(aliceApp, Map.of("consumer_byte_rate", 2048.0))));
        }
    }

    @Test
    void shouldMatchDefaultAndSpecifiedEntities() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(tempDir, Map.of());
             Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
            ClientQuotaEntity defaultClient = entity(ClientQuotaEntity.CLIENT_ID, null);
            ClientQuotaEntity appClient = entity(ClientQuotaEntity.CLIENT_ID, app);
            ClientQuotaEntity defaultUser = entity(ClientQuotaEntity.USER, null);
            admin.alterClientQuotas(List.of(set(defaultClient, "producer_byte_rate", 100.0), set(appClient, "producer_byte_rate", 200.0),
                    set(defaultUser, "consumer_byte_rate", 300.0))).all().get();

            assertThat(admin.describeClientQuotas(ClientQuotaFilter.contains(List.of(ClientQuotaFilterComponent.ofDefaultEntity(ClientQuotaEntity.CLIENT_ID))))
                    .entities().get()).containsOnlyKeys(defaultClient);
            assertThat(admin.describeClientQuotas(ClientQuotaFilter.contains(List.of(ClientQuotaFilterComponent.ofEntityType(ClientQuotaEntity.CLIENT_ID))))
                    .entities().get()).containsOnlyKeys(defaultClient, appClient);
            assertThat(admin.describeClientQuotas(ClientQuotaFilter.all()).entities().get()).containsOnlyKeys(defaultClient, appClient, defaultUser);
        }
    }

    @Test
    void shouldValidateOnlyWithoutChangingAnything() throws Exception {
        try (TargetBroker broker = TargetBroker.start(tempDir, Map.of());
             Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
            ClientQuotaEntity appClient = entity(ClientQuotaEntity.CLIENT_ID, app);
            admin.alterClientQuotas(List.of(set(appClient, "producer_byte_rate", 100.0)),
                    new org.apache.kafka.clients.admin.AlterClientQuotasOptions().validateOnly(true)).all().get();

            assertThat(admin.describeClientQuotas(ClientQuotaFilter.contains(List.of(ClientQuotaFilterComponent.ofEntity(ClientQuotaEntity.CLIENT_ID, app))))
                    .entities().get()).isEmpty();
        }
    }

    @Test
    void shouldRefuseBadAlterationsAsKafkaDoes() {
        try (TargetBroker broker = TargetBroker.start(tempDir, Map.of());
             RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers())) {
            AlterClientQuotasRequestData request = new AlterClientQuotasRequestData().setEntries(List.of(
                    alteration("user", alice + "-unknown-key", "no_such_rate", 10),
                    alteration("user", alice + "-zero", "producer_byte_rate", 0),
                    alteration("user", alice + "-negative", "request_percentage", -1),
                    alteration("user", alice + "-fraction", "consumer_byte_rate", 10.5),
                    alteration("user", "", "producer_byte_rate", 10),
                    alteration("group", "g", "producer_byte_rate", 10),
                    alteration("ip", "127.0.0.1", "producer_byte_rate", 10)));

            AlterClientQuotasResponseData response = connection.call(ApiKeys.ALTER_CLIENT_QUOTAS, (short) 1, request);

            assertThat(response.entries()).extracting(AlterClientQuotasResponseData.EntryData::errorCode).containsOnly(Errors.INVALID_REQUEST.code());
            assertThat(response.entries()).extracting(AlterClientQuotasResponseData.EntryData::errorMessage).containsExactlyInAnyOrder(
                    "Invalid configuration key no_such_rate",
                    "Quota producer_byte_rate must be greater than 0",
                    "Quota request_percentage must be greater than 0",
                    "consumer_byte_rate cannot be a fractional value.",
                    "Empty user not supported",
                    "Unhandled client quota entity type: group",
                    "Invalid configuration key producer_byte_rate");
        }
    }

    @Test
    void shouldRefuseBadFiltersAsKafkaDoes() {
        try (TargetBroker broker = TargetBroker.start(tempDir, Map.of());
             RawKafkaConnection connection = RawKafkaConnection.open(broker.bootstrapServers())) {
            assertThat(describe(connection, component("user", (byte) 0, null)))
                    .isEqualTo("INVALID_REQUEST Request specified MATCH_TYPE_EXACT, but set match string to null.");
            assertThat(describe(connection, component("user", (byte) 1, "x")))
                    .isEqualTo("INVALID_REQUEST Request specified MATCH_TYPE_DEFAULT, but also specified a match string.");
            assertThat(describe(connection, component("user", (byte) 2, null), component("user", (byte) 2, null)))
                    .isEqualTo("INVALID_REQUEST Entity type user cannot appear more than once in the filter.");
            assertThat(describe(connection, component("group", (byte) 2, null)))
                    .isEqualTo("UNSUPPORTED_VERSION Unsupported entity type group");
            assertThat(describe(connection, component("user", (byte) 7, null)))
                    .isEqualTo("INVALID_REQUEST Unknown match type 7");
        }
    }

    @Test
    void shouldRefuseQuotaApisToWhomMayNotAlterOrDescribeTheClusterConfigs() {
        try (EmbeddedBroker broker = EmbeddedBroker.start(tempDir, Map.of("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer"));
             Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
            assertThatThrownBy(() -> admin.describeClientQuotas(ClientQuotaFilter.all()).entities().get())
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(ClusterAuthorizationException.class);
            assertThatThrownBy(() -> admin.alterClientQuotas(List.of(set(entity(ClientQuotaEntity.USER, alice), "producer_byte_rate", 10.0))).all().get())
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(ClusterAuthorizationException.class);
        }
    }

    @Test
    void shouldRefuseAnUnknownKeyThroughAdmin() {
        try (EmbeddedBroker broker = EmbeddedBroker.start(tempDir, Map.of());
             Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
            assertThatThrownBy(() -> admin.alterClientQuotas(List.of(set(entity(ClientQuotaEntity.USER, alice), "bytes_per_fortnight", 10.0))).all().get())
                    .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(InvalidRequestException.class)
                    .hasMessageContaining("Invalid configuration key bytes_per_fortnight");
        }
    }

    @Test
    void shouldKeepQuotasAcrossARestart() throws Exception {
        ClientQuotaEntity aliceEntity = entity(ClientQuotaEntity.USER, alice);
        try (EmbeddedBroker broker = EmbeddedBroker.start(tempDir, Map.of())) {
            try (Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
                admin.alterClientQuotas(List.of(set(aliceEntity, "producer_byte_rate", 4096.0))).all().get();
            }

            broker.restart();

            try (Admin admin = KafkaClients.admin(broker.bootstrapServers())) {
                assertThat(admin.describeClientQuotas(ClientQuotaFilter.all()).entities().get())
                        .isEqualTo(Map.of(aliceEntity, Map.of("producer_byte_rate", 4096.0)));
            }
        }
    }

    @Test
    void shouldAlterAndDescribeQuotasWithKafkasConfigTool() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.start(tempDir.resolve("data"), Map.of())) {
            String bootstrap = broker.bootstrapServers();
            KafkaTools tools = new KafkaTools(tempDir, "quotas");
            String command = "kafka.admin.ConfigCommand";
            tools.step(command, "--bootstrap-server", bootstrap, "--alter", "--entity-type", "users", "--entity-name", "alice",
                    "--add-config", "producer_byte_rate=1048576,consumer_byte_rate=2097152");
            tools.step(command, "--bootstrap-server", bootstrap, "--alter", "--entity-type", "clients", "--entity-default",
                    "--add-config", "request_percentage=50");
            tools.step(command, "--bootstrap-server", bootstrap, "--alter", "--entity-type", "users", "--entity-name", "alice",
                    "--entity-type", "clients", "--entity-name", "billing", "--add-config", "producer_byte_rate=1024");
            int users = tools.step(command, "--bootstrap-server", bootstrap, "--describe", "--entity-type", "users");
            int aliceBilling = tools.step(command, "--bootstrap-server", bootstrap, "--describe", "--entity-type", "users", "--entity-name", "alice",
                    "--entity-type", "clients", "--entity-name", "billing");
            int clients = tools.step(command, "--bootstrap-server", bootstrap, "--describe", "--entity-type", "clients", "--entity-default");
            tools.step(command, "--bootstrap-server", bootstrap, "--alter", "--entity-type", "users", "--entity-name", "alice",
                    "--delete-config", "consumer_byte_rate");
            int afterDelete = tools.step(command, "--bootstrap-server", bootstrap, "--describe", "--entity-type", "users", "--entity-name", "alice");

            KafkaTools.Output output = tools.run().assertEveryStepSucceeded();

            assertThat(String.join("\n", output.of(users))).contains("Quota configs for user-principal 'alice' are",
                    "producer_byte_rate=1048576.0", "consumer_byte_rate=2097152.0");
            assertThat(String.join("\n", output.of(aliceBilling)))
                    .contains("Quota configs for user-principal 'alice', client-id 'billing' are producer_byte_rate=1024.0");
            assertThat(String.join("\n", output.of(clients))).contains("Quota configs for the default client-id are request_percentage=50.0");
            assertThat(String.join("\n", output.of(afterDelete))).contains("producer_byte_rate=1048576.0").doesNotContain("consumer_byte_rate");
        }
    }

    private static AlterClientQuotasRequestData.EntryData alteration(String type, String name, String key, double value) {
        return new AlterClientQuotasRequestData.EntryData()
                .setEntity(List.of(new AlterClientQuotasRequestData.EntityData().setEntityType(type).setEntityName(name)))
                .setOps(List.of(new AlterClientQuotasRequestData.OpData().setKey(key).setValue(value)));
    }

    private static DescribeClientQuotasRequestData.ComponentData component(String type, byte matchType, String match) {
        return new DescribeClientQuotasRequestData.ComponentData().setEntityType(type).setMatchType(matchType).setMatch(match);
    }

    /** The error and message of a describe with these filter components. */
    private static String describe(RawKafkaConnection connection, DescribeClientQuotasRequestData.ComponentData... components) {
        DescribeClientQuotasResponseData response = connection.call(ApiKeys.DESCRIBE_CLIENT_QUOTAS, (short) 1,
                new DescribeClientQuotasRequestData().setComponents(List.of(components)));
        assertThat(response.entries()).isNull();
        return Errors.forCode(response.errorCode()).name() + " " + response.errorMessage();
    }
}
