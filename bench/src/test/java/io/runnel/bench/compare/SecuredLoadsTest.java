package io.runnel.bench.compare;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.security.auth.SecurityProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecuredLoadsTest {

    private static final Toolbox TOOLBOX = new Toolbox("java", Path.of("kafka-libs"), Path.of("runnel"), "1G");
    private static final ListenerSecurity SECURITY = new ListenerSecurity(Path.of("tls"));
    private static final ClientListeners LISTENERS = new ClientListeners(Map.of(
            SecurityProtocol.PLAINTEXT, 9092, SecurityProtocol.SSL, 9093, SecurityProtocol.SASL_SSL, 9094));

    @Test
    void shouldRunTheSecuredScenariosAsThePlaintextControlsOverEachListener() {
        Map<String, Scenario> scenarios = Scenarios.of(Plan.full(), SECURITY).stream()
                .collect(Collectors.toMap(Scenario::id, s -> s));

        for (String protocol : List.of("ssl", "sasl-ssl")) {
            Load produce = scenarios.get("pp-p6-" + protocol).load();
            Load consume = scenarios.get("cp-p6-" + protocol).load();
            assertThat(produce).isInstanceOfSatisfying(SecuredLoad.class, secured ->
                    assertThat(secured.load()).isInstanceOfSatisfying(ProducerPerformanceLoad.class, load ->
                            assertThat(load.producerProps()).isEqualTo(producerProps(scenarios.get("pp-p6-acksall-default")))));
            assertThat(consume.topic()).isEqualTo(scenarios.get("cp-p6").load().topic());
            assertThat(List.of(produce, consume)).extracting(Load::protocol).containsOnly(
                    protocol.equals("ssl") ? SecurityProtocol.SSL : SecurityProtocol.SASL_SSL);
        }
        assertThat(Scenarios.anySecured(List.of(scenarios.get("pp-p6-acksall-default"), scenarios.get("cp-p6")))).isFalse();
        assertThat(Scenarios.anySecured(List.of(scenarios.get("cp-p6"), scenarios.get("cp-p6-ssl")))).isTrue();
    }

    @Test
    void shouldWarmUpProduceAndFetchOverTlsOnTopicsNoScenarioReads() {
        List<Load> warmUp = Scenarios.securedWarmUp(Plan.quick().withWarmupRecords(600_000), SECURITY);
        List<String> measured = Scenarios.of(Plan.full(), SECURITY).stream().map(s -> s.load().topic().name()).toList();

        assertThat(warmUp).extracting(Load::protocol).contains(SecurityProtocol.SSL, SecurityProtocol.SASL_SSL);
        assertThat(warmUp).anySatisfy(load -> assertThat(load).isInstanceOfSatisfying(SecuredLoad.class,
                secured -> assertThat(secured.load()).isInstanceOf(ConsumerPerformanceLoad.class)));
        assertThat(warmUp).extracting(Load::bytesMoved).containsOnly(600_000L * Plan.RECORD_SIZE);
        assertThat(warmUp).extracting(load -> load.topic().name()).doesNotContainAnyElementsOf(measured)
                .allMatch(name -> name.startsWith("warm-up"));
    }

    @Test
    void shouldPassTheClientConfigFirstAndPrefillOverPlaintext() throws IOException {
        Load plain = new ConsumerPerformanceLoad(new TopicSpec("t", 6), 1000, IsolationLevel.READ_COMMITTED);
        SecuredLoad secured = new SecuredLoad(plain, SecurityProtocol.SSL, Path.of("tls/ssl-client.properties"));

        JavaCommand command = secured.command(TOOLBOX, "localhost:9093");

        assertThat(command.arguments().subList(0, 2)).containsExactly("--command-config", "tls/ssl-client.properties");
        assertThat(command.arguments().subList(2, command.arguments().size()))
                .startsWith("--bootstrap-server", "localhost:9093");
        assertThat(secured.prefill(TOOLBOX, "localhost:9092").arguments()).contains("localhost:9092");
        assertThat(secured.bytesMoved()).isEqualTo(plain.bytesMoved());
    }

    @Test
    void shouldAddTheSecuredListenersBesideKafkasPlaintextAndControllerListeners() {
        Map<String, String> kafka = BrokerSettings.combined(Path.of("data"), 1, 9092, Map.of(1, 9095));

        Map<String, String> secured = BrokerSettings.withClientListeners(kafka, LISTENERS, Map.of("sasl.enabled.mechanisms", "SCRAM-SHA-512"));

        assertThat(secured.get("listeners"))
                .isEqualTo("PLAINTEXT://localhost:9092,CONTROLLER://localhost:9095,SSL://localhost:9093,SASL_SSL://localhost:9094");
        assertThat(secured.get("listener.security.protocol.map"))
                .isEqualTo("CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_SSL:SASL_SSL");
        assertThat(secured).containsEntry("sasl.enabled.mechanisms", "SCRAM-SHA-512");
    }

    @Test
    void shouldLeaveThePlaintextSettingsAsTheyAreWithoutSecuredScenarios() {
        Map<String, String> runnel = BrokerSettings.shared(Path.of("data"), 9092);

        Map<String, String> same = BrokerSettings.withClientListeners(runnel,
                new ClientListeners(Map.of(SecurityProtocol.PLAINTEXT, 9092)), Map.of("ignored", "x"));

        assertThat(same).isEqualTo(runnel).doesNotContainKey("listener.security.protocol.map");
    }

    @Test
    void shouldPointEachLoadAtTheListenerOfItsProtocol() {
        assertThat(LISTENERS.bootstrap(SecurityProtocol.SASL_SSL)).isEqualTo("localhost:9094");
        assertThat(LISTENERS.plaintextPort()).isEqualTo(9092);
    }

    @Test
    void shouldMakeOneCertificateForBothBrokersAndClientConfigsThatTrustIt(@TempDir Path dir) throws IOException {
        ListenerSecurity security = new ListenerSecurity(dir);

        security.prepare();

        Map<String, String> broker = security.brokerSettings();
        assertThat(Path.of(broker.get("ssl.keystore.location"))).exists();
        assertThat(broker).containsEntry("sasl.enabled.mechanisms", "SCRAM-SHA-512")
                .containsKey("listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config");
        Properties ssl = load(security.clientConfig(SecurityProtocol.SSL));
        Properties sasl = load(security.clientConfig(SecurityProtocol.SASL_SSL));
        assertThat(ssl.getProperty("security.protocol")).isEqualTo("SSL");
        assertThat(Path.of(ssl.getProperty("ssl.truststore.location"))).exists();
        assertThat(sasl.getProperty("security.protocol")).isEqualTo("SASL_SSL");
        assertThat(sasl.getProperty("sasl.mechanism")).isEqualTo("SCRAM-SHA-512");
        assertThat(sasl.getProperty("sasl.jaas.config")).contains("username=\"" + ListenerSecurity.USER + "\"");
    }

    @Test
    void shouldHoldTheSecuredRowsToIssue13sTargets() {
        assertThat(Target.of(Category.TLS, Metric.THROUGHPUT).orElseThrow().metBy(1.0)).isTrue();
        assertThat(Target.of(Category.TLS, Metric.CPU_PER_GB).orElseThrow().metBy(0.69)).isTrue();
        assertThat(Target.of(Category.TLS, Metric.CPU_PER_GB).orElseThrow().metBy(0.71)).isFalse();
    }

    private static Map<String, String> producerProps(Scenario scenario) {
        return ((ProducerPerformanceLoad) scenario.load()).producerProps();
    }

    private static Properties load(Path file) throws IOException {
        Properties props = new Properties();
        try (Reader reader = Files.newBufferedReader(file)) {
            props.load(reader);
        }
        return props;
    }
}
