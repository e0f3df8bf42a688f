package io.runnel.broker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.assertj.core.api.AbstractThrowableAssert;
import org.junit.jupiter.api.Test;

class ClusterConfigTest {

    private static final String SCRAM_BROKER_LOGIN =
            "org.apache.kafka.common.security.scram.ScramLoginModule required username=\"broker\" password=\"broker-secret\";";

    /** A combined node 1 of a three-voter quorum, as Kafka's KRaft server.properties writes it. */
    private static Map<String, String> combined(String... overrides) {
        Map<String, String> properties = new HashMap<>(Map.of(
                "process.roles", "broker,controller",
                "node.id", "1",
                "controller.quorum.voters", "1@localhost:9093,2@localhost:9193,3@localhost:9293",
                "listeners", "PLAINTEXT://localhost:9092,CONTROLLER://localhost:9093",
                "controller.listener.names", "CONTROLLER"));
        for (int i = 0; i < overrides.length; i += 2) {
            if (overrides[i + 1] == null) {
                properties.remove(overrides[i]);
            } else {
                properties.put(overrides[i], overrides[i + 1]);
            }
        }
        return properties;
    }

    private static AbstractThrowableAssert<?, ? extends Throwable> assertRefused(Map<String, String> properties, String key) {
        return assertThatThrownBy(() -> BrokerConfig.parse(properties))
                .isInstanceOf(InvalidConfigException.class)
                .hasMessageContaining(key)
                .hasMessageNotContaining("\n");
    }

    @Test
    void shouldStayInSingleNodeModeByDefault() {
        BrokerConfig config = BrokerConfig.parse(Map.of());

        assertThat(config.clusterMode()).isFalse();
        assertThat(config.processRoles()).isEmpty();
        assertThat(config.nodeId()).isEqualTo(1);
        assertThat(config.quorumVoters()).isEmpty();
        assertThat(config.quorumBootstrapServers()).isEmpty();
        assertThat(config.controllerListenerNames()).isEmpty();
        assertThat(config.controllerListener()).isEmpty();
        assertThat(config.brokerListeners()).containsExactly(new Listener("PLAINTEXT", "localhost", 9092));
        assertThat(config.interBrokerListenerName()).isEqualTo("PLAINTEXT");
        assertThat(config.brokerRack()).isEmpty();
        assertThat(config.metadataLogDir()).isEqualTo(Path.of("./data"));
    }

    @Test
    void shouldUseKafkasDefaultsForTheClusterTimings() {
        BrokerConfig config = BrokerConfig.parse(Map.of());

        assertThat(config.brokerHeartbeatIntervalMs()).isEqualTo(2000);
        assertThat(config.brokerSessionTimeoutMs()).isEqualTo(9000);
        assertThat(config.controllerQuorumElectionTimeoutMs()).isEqualTo(1000);
        assertThat(config.controllerQuorumRequestTimeoutMs()).isEqualTo(2000);
        assertThat(config.initialBrokerRegistrationTimeoutMs()).isEqualTo(60000);
        assertThat(config.controlledShutdownEnable()).isTrue();
        assertThat(config.nonDefaultValues()).isEmpty();
        assertThat(config.unknownKeys()).isEmpty();
    }

    @Test
    void shouldParseACombinedNode() {
        BrokerConfig config = BrokerConfig.parse(combined("broker.rack", "r1", "metadata.log.dir", "/meta", "log.dirs", "/a,/b"));

        assertThat(config.clusterMode()).isTrue();
        assertThat(config.processRoles()).containsExactlyInAnyOrder(ProcessRole.BROKER, ProcessRole.CONTROLLER);
        assertThat(config.quorumVoters()).containsExactly(new QuorumVoterConfig(1, "localhost", 9093),
                new QuorumVoterConfig(2, "localhost", 9193), new QuorumVoterConfig(3, "localhost", 9293));
        assertThat(config.controllerListener()).contains(new Listener("CONTROLLER", "localhost", 9093));
        assertThat(config.brokerListeners()).containsExactly(new Listener("PLAINTEXT", "localhost", 9092));
        assertThat(config.interBrokerListenerName()).isEqualTo("PLAINTEXT");
        assertThat(config.securityProtocol("CONTROLLER")).isEqualTo("PLAINTEXT");
        assertThat(config.brokerRack()).isEqualTo(Optional.of("r1"));
        assertThat(config.metadataLogDir()).isEqualTo(Path.of("/meta"));
        assertThat(config.unknownKeys()).isEmpty();
    }

    @Test
    void shouldDefaultTheControllerListenerNameToController() {
        BrokerConfig config = BrokerConfig.parse(combined("controller.listener.names", null));

        assertThat(config.controllerListenerNames()).containsExactly("CONTROLLER");
        assertThat(config.controllerListener()).contains(new Listener("CONTROLLER", "localhost", 9093));
    }

    @Test
    void shouldParseABrokerOnlyNodeAndItsAdvertisedListeners() {
        BrokerConfig config = BrokerConfig.parse(combined("process.roles", "broker", "node.id", "4",
                "listeners", "PLAINTEXT://:9092,INTERNAL://10.0.0.4:9094",
                "listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,INTERNAL:PLAINTEXT",
                "advertised.listeners", "PLAINTEXT://broker4.example:9092",
                "inter.broker.listener.name", "INTERNAL"));

        assertThat(config.processRoles()).isEqualTo(Set.of(ProcessRole.BROKER));
        assertThat(config.controllerListener()).isEmpty();
        assertThat(config.brokerListeners()).extracting(Listener::name).containsExactly("PLAINTEXT", "INTERNAL");
        assertThat(config.interBrokerListenerName()).isEqualTo("INTERNAL");
        assertThat(config.advertisedListener("PLAINTEXT")).isEqualTo(new Listener("PLAINTEXT", "broker4.example", 9092));
        assertThat(config.advertisedListener("INTERNAL")).isEqualTo(new Listener("INTERNAL", "10.0.0.4", 9094));
    }

    @Test
    void shouldAcceptBootstrapServersInsteadOfVoters() {
        BrokerConfig config = BrokerConfig.parse(combined("controller.quorum.voters", null,
                "controller.quorum.bootstrap.servers", "localhost:9093, [::1]:9193"));

        assertThat(config.quorumVoters()).isEmpty();
        assertThat(config.quorumBootstrapServers()).containsExactly(InetSocketAddress.createUnresolved("localhost", 9093),
                InetSocketAddress.createUnresolved("::1", 9193));
    }

    @Test
    void shouldRefuseAMalformedVoterNamingTheKey() {
        for (String voters : new String[] {"1@localhost", "localhost:9093", "x@localhost:9093", "1@:9093", "1@localhost:99999", "-1@h:1"}) {
            String bad = voters;
            assertThatThrownBy(() -> BrokerConfig.parse(combined("controller.quorum.voters", bad)))
                    .isInstanceOf(InvalidConfigException.class)
                    .hasMessage("Invalid value '" + bad + "' for configuration controller.quorum.voters: expected id@host:port");
        }
        assertRefused(combined("controller.quorum.voters", "1@localhost:9093,1@localhost:9193"), "controller.quorum.voters")
                .hasMessageContaining("twice");
    }

    @Test
    void shouldRefuseAMalformedBootstrapServer() {
        assertRefused(combined("controller.quorum.bootstrap.servers", "localhost"), "controller.quorum.bootstrap.servers")
                .hasMessageContaining("expected host:port");
    }

    @Test
    void shouldRefuseAnUnknownRole() {
        assertRefused(combined("process.roles", "broker,voter"), "process.roles");
    }

    @Test
    void shouldRequireAnExplicitNodeIdInClusterMode() {
        assertRefused(combined("node.id", null), "node.id").hasMessageContaining("process.roles");
    }

    @Test
    void shouldRequireVotersOrBootstrapServersInClusterMode() {
        assertRefused(combined("controller.quorum.voters", null), "controller.quorum.voters")
                .hasMessageContaining("controller.quorum.bootstrap.servers");
    }

    @Test
    void shouldRequireAControllerToBeAVoter() {
        assertRefused(combined("node.id", "7"), "controller.quorum.voters").hasMessageContaining("node.id 7 is not a voter");
    }

    @Test
    void shouldRequireTheControllerListenerOnTheVotersPort() {
        assertRefused(combined("listeners", "PLAINTEXT://localhost:9092,CONTROLLER://localhost:9095"), "listeners")
                .hasMessageContaining("CONTROLLER").hasMessageContaining("must use port 9093");
    }

    @Test
    void shouldRequireTheControllerListenerInListenersOnAController() {
        assertRefused(combined("listeners", "PLAINTEXT://localhost:9092"), "controller.listener.names")
                .hasMessageContaining("CONTROLLER is not in listeners");
    }

    @Test
    void shouldRefuseTheControllerListenerOnABrokerOnlyNode() {
        assertRefused(combined("process.roles", "broker"), "listeners")
                .hasMessageContaining("process.roles=broker");
    }

    @Test
    void shouldRefuseAnAdvertisedListenerMissingFromListeners() {
        assertRefused(combined("advertised.listeners", "EXTERNAL://broker1.example:9092"), "advertised.listeners")
                .hasMessageContaining("EXTERNAL is not in listeners");
    }

    @Test
    void shouldRefuseAnInterBrokerListenerMissingFromListeners() {
        assertRefused(combined("inter.broker.listener.name", "INTERNAL"), "inter.broker.listener.name")
                .hasMessageContaining("INTERNAL is not in listeners");
    }

    @Test
    void shouldRefuseTheControllerListenerAsInterBrokerListener() {
        assertRefused(combined("inter.broker.listener.name", "CONTROLLER"), "inter.broker.listener.name")
                .hasMessageContaining("controller listener");
    }

    @Test
    void shouldRefuseAPortUsedTwice() {
        assertRefused(Map.of("listeners", "A://localhost:9092,B://localhost:9092", "listener.security.protocol.map", "A:PLAINTEXT,B:PLAINTEXT"),
                "listeners").hasMessageContaining("port 9092 is already used by A://localhost:9092");
        assertRefused(Map.of("listeners", "A://:9092,B://10.0.0.1:9092", "listener.security.protocol.map", "A:PLAINTEXT,B:PLAINTEXT"),
                "listeners").hasMessageContaining("port 9092");
    }

    @Test
    void shouldAcceptOnePortOnTwoDistinctHostsAndPortZeroTwice() {
        BrokerConfig config = BrokerConfig.parse(Map.of("listeners", "A://10.0.0.1:9092,B://10.0.0.2:9092,C://localhost:0,D://localhost:0",
                "listener.security.protocol.map", "A:PLAINTEXT,B:PLAINTEXT,C:PLAINTEXT,D:PLAINTEXT"));

        assertThat(config.brokerListeners()).hasSize(4);
    }

    @Test
    void shouldRefuseADuplicateListenerName() {
        assertRefused(Map.of("listeners", "PLAINTEXT://localhost:9092,PLAINTEXT://localhost:9093"), "listeners")
                .hasMessageContaining("PLAINTEXT is used twice");
        assertRefused(Map.of("advertised.listeners", "PLAINTEXT://a:9092,PLAINTEXT://b:9092"), "advertised.listeners")
                .hasMessageContaining("PLAINTEXT is used twice");
    }

    @Test
    void shouldRefuseAnUnroutableAdvertisedAddressInClusterMode() {
        assertRefused(combined("advertised.listeners", "PLAINTEXT://0.0.0.0:9092"), "advertised.listeners")
                .hasMessageContaining("0.0.0.0");
        assertRefused(combined("listeners", "PLAINTEXT://0.0.0.0:9092,CONTROLLER://localhost:9093"), "advertised.listeners")
                .hasMessageContaining("0.0.0.0");
        assertRefused(combined("advertised.listeners", "PLAINTEXT://broker1.example:0"), "advertised.listeners")
                .hasMessageContaining("port 0");
    }

    @Test
    void shouldAdvertiseABoundPortOfZeroInClusterModeWhenNotGivenExplicitly() {
        BrokerConfig config = BrokerConfig.parse(combined("listeners", "PLAINTEXT://localhost:0,CONTROLLER://localhost:9093"));

        assertThat(config.advertisedListener("PLAINTEXT")).isEqualTo(new Listener("PLAINTEXT", "localhost", 0));
    }

    @Test
    void shouldKeepWildcardsAndPortZeroAdvertisableInSingleNodeMode() {
        BrokerConfig config = BrokerConfig.parse(Map.of("listeners", "PLAINTEXT://0.0.0.0:9092", "advertised.listeners", "PLAINTEXT://0.0.0.0:0"));

        assertThat(config.advertisedListener("PLAINTEXT")).isEqualTo(new Listener("PLAINTEXT", "0.0.0.0", 0));
    }

    @Test
    void shouldRefuseAListenerWhoseSecurityProtocolIsNotServed() {
        assertRefused(Map.of("listeners", "PLAINTEXT://localhost:9092,OTHER://localhost:9093"), "listeners")
                .hasMessageContaining("security protocol OTHER");
    }

    @Test
    void shouldRefuseATlsControllerListener() {
        assertRefused(combined("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:SSL"), "listeners")
                .hasMessageContaining("controller listener");
    }

    @Test
    void shouldRefuseAnInterBrokerMechanismTheListenerDoesNotEnable() {
        assertRefused(combined("listeners", "SASL_PLAINTEXT://localhost:9092,CONTROLLER://localhost:9093", "sasl.enabled.mechanisms", "SCRAM-SHA-256",
                "listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config", SCRAM_BROKER_LOGIN), "sasl.mechanism.inter.broker.protocol")
                .hasMessageContaining("'GSSAPI'").hasMessageContaining("must be included in sasl.enabled.mechanisms");
    }

    @Test
    void shouldRefuseASaslInterBrokerListenerWithoutTheBrokersOwnCredentials() {
        assertRefused(combined("listeners", "SASL_PLAINTEXT://localhost:9092,CONTROLLER://localhost:9093", "sasl.enabled.mechanisms", "SCRAM-SHA-256",
                "sasl.mechanism.inter.broker.protocol", "SCRAM-SHA-256",
                "listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;"),
                "username or password");
    }

    @Test
    void shouldLetBrokersLogInToEachOtherWithTheListenersJaasCredentials() {
        BrokerConfig config = BrokerConfig.parse(combined("listeners", "SASL_PLAINTEXT://localhost:9092,CONTROLLER://localhost:9093",
                "sasl.enabled.mechanisms", "PLAIN,SCRAM-SHA-256", "sasl.mechanism.inter.broker.protocol", "SCRAM-SHA-256",
                "listener.name.sasl_plaintext.plain.sasl.jaas.config", "org.apache.kafka.common.security.plain.PlainLoginModule required user_a=\"b\";",
                "listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config", SCRAM_BROKER_LOGIN));

        SaslLogin login = config.interBrokerSaslLogin().orElseThrow();
        assertThat(login.mechanism()).isEqualTo("SCRAM-SHA-256");
        assertThat(login.username()).isEqualTo("broker");
        assertThat(login.password().value()).isEqualTo("broker-secret");
        assertThat(login.toString()).doesNotContain("broker-secret");
    }

    @Test
    void shouldLetBrokersConnectToEachOtherOnAnSslListener() {
        BrokerConfig config = BrokerConfig.parse(combined("listeners", "SSL://localhost:9092,CONTROLLER://localhost:9093",
                "ssl.keystore.location", "/k.p12", "ssl.keystore.password", "secret"));

        assertThat(config.interBrokerListenerName()).isEqualTo("SSL");
        assertThat(config.sslConfigs("SSL")).isPresent();
    }

    @Test
    void shouldRefuseAHeartbeatIntervalNotBelowTheSessionTimeout() {
        assertRefused(Map.of("broker.heartbeat.interval.ms", "9000"), "broker.heartbeat.interval.ms");
    }
}
