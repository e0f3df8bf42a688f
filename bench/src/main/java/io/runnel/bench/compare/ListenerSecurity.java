package io.runnel.bench.compare;

import io.runnel.testkit.tls.TestCertificates;
import io.runnel.testkit.tls.TestIdentity;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * The TLS and SCRAM material of one run, made once ({@link #prepare}) and used alike by both brokers
 * and every load over SSL or SASL_SSL: a development CA, a broker certificate for {@code localhost}
 * signed by it (PKCS12), a client properties file per protocol that trusts the CA, and a SCRAM-SHA-512
 * user that each broker learns through Kafka's Admin API after its start ({@link #addUser}). Clients do
 * not present certificates ({@code ssl.client.auth=none}, Kafka's default): the cost measured is the
 * encryption and, over SASL_SSL, the SCRAM login, not a choice of principal. Not thread-safe.
 */
final class ListenerSecurity {

    static final String SCRAM_MECHANISM = "SCRAM-SHA-512";
    static final String USER = "bench";
    private static final String PASSWORD = "bench-secret";
    /** Kafka's kafka-configs default, and the least it accepts for SCRAM-SHA-512. */
    private static final int SCRAM_ITERATIONS = 4096;
    private static final String STORE_TYPE = "PKCS12";
    private static final String SCRAM_LOGIN_MODULE = "org.apache.kafka.common.security.scram.ScramLoginModule required";

    private final Path directory;
    private Map<String, String> brokerSettings;

    /** Material to be made in {@code directory}; nothing is written before {@link #prepare}. */
    ListenerSecurity(Path directory) {
        this.directory = directory.toAbsolutePath();
    }

    /** The properties file a load over {@code protocol} (SSL or SASL_SSL) runs with, once {@link #prepare} wrote it. */
    Path clientConfig(SecurityProtocol protocol) {
        return directory.resolve(protocol.name.toLowerCase(Locale.ROOT) + "-client.properties");
    }

    /** Makes the CA, the broker's certificate and the client properties files (keytool, a few seconds). */
    void prepare() throws IOException {
        TestCertificates ca = TestCertificates.create(directory.resolve("ca"), "Runnel bench CA");
        TestIdentity broker = ca.issue("broker", "CN=localhost,O=Runnel bench");
        Map<String, String> trust = ca.truststoreConfigs(STORE_TYPE);
        writeClientConfig(SecurityProtocol.SSL, trust, Map.of());
        writeClientConfig(SecurityProtocol.SASL_SSL, trust, Map.of("sasl.mechanism", SCRAM_MECHANISM,
                "sasl.jaas.config", SCRAM_LOGIN_MODULE + " username=\"" + USER + "\" password=\"" + PASSWORD + "\";"));
        Map<String, String> settings = new LinkedHashMap<>(broker.keystoreConfigs(STORE_TYPE));
        settings.put("sasl.enabled.mechanisms", SCRAM_MECHANISM);
        settings.put("listener.name.sasl_ssl." + SCRAM_MECHANISM.toLowerCase(Locale.ROOT) + ".sasl.jaas.config", SCRAM_LOGIN_MODULE + ";");
        brokerSettings = settings;
    }

    /**
     * What a broker's SSL and SASL_SSL listeners need, by Kafka's names: the keystore (the same file for
     * both brokers), SCRAM-SHA-512 as the only SASL mechanism and the SCRAM login module on SASL_SSL.
     */
    Map<String, String> brokerSettings() {
        if (brokerSettings == null) {
            throw new IllegalStateException("prepare() first");
        }
        return brokerSettings;
    }

    /**
     * Creates the SCRAM user on the broker through {@code bootstrap} (its PLAINTEXT listener) with
     * Admin's AlterUserScramCredentials, as {@code kafka-configs --alter --add-config SCRAM-SHA-512=...}
     * does, and waits until the broker describes it.
     */
    void addUser(String bootstrap) throws LoadFailedException, InterruptedException {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 60_000))) {
            ScramCredentialInfo info = new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, SCRAM_ITERATIONS);
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(USER, info, PASSWORD)))
                    .all().get(1, TimeUnit.MINUTES);
            admin.describeUserScramCredentials(List.of(USER)).all().get(1, TimeUnit.MINUTES);
        } catch (ExecutionException e) {
            throw new LoadFailedException("cannot create the SCRAM user " + USER + ": " + e.getCause());
        } catch (TimeoutException e) {
            throw new LoadFailedException("creating the SCRAM user " + USER + " timed out");
        }
    }

    private void writeClientConfig(SecurityProtocol protocol, Map<String, String> trust, Map<String, String> sasl)
            throws IOException {
        Properties props = new Properties();
        props.put("security.protocol", protocol.name);
        props.putAll(trust);
        props.putAll(sasl);
        try (Writer writer = Files.newBufferedWriter(clientConfig(protocol), StandardCharsets.UTF_8)) {
            props.store(writer, "A load of bench/compare over " + protocol.name);
        }
    }
}
