package io.runnel.cli.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class DevCertsCommandTest {

    private static final String PASSWORD = "dev-secret";

    @TempDir
    Path dir;

    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    @Test
    void shouldMakeCertificatesThatAClientVerifyingTheHostNameAndAMutualTlsServerAccept() throws Exception {
        assertThat(run("--dir", dir.toString(), "--client", "alice,bob", "--password", PASSWORD)).isZero();

        SSLContext server = context("broker.p12");
        SSLContext client = context("alice.p12");
        try (SSLServerSocket listening = (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            listening.setNeedClientAuth(true);
            CompletableFuture<String> peer = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket accepted = (SSLSocket) listening.accept()) {
                    accepted.startHandshake();
                    return accepted.getSession().getPeerPrincipal().getName();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (SSLSocket connecting = (SSLSocket) client.getSocketFactory().createSocket("localhost", listening.getLocalPort())) {
                SSLParameters parameters = connecting.getSSLParameters();
                // What Kafka clients do by default (ssl.endpoint.identification.algorithm=https).
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                connecting.setSSLParameters(parameters);
                connecting.startHandshake();
                assertThat(connecting.getSession().getPeerPrincipal().getName()).isEqualTo("CN=localhost");
            }
            assertThat(peer.get(10, TimeUnit.SECONDS)).isEqualTo("CN=alice");
        }
        assertThat(Files.readString(dir.resolve("bob.key"))).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(Files.readString(dir.resolve("bob.crt"))).contains("-----BEGIN CERTIFICATE-----");
        assertThat(out.toString()).contains("ssl.keystore.location=" + dir.toAbsolutePath().resolve("broker.p12"))
                .contains("# client bob (principal User:CN=bob)");
    }

    @Test
    void shouldReuseTheCaOfTheDirectoryWithItsPasswordAndRefuseWithoutIt() throws Exception {
        assertThat(run("--dir", dir.toString(), "--password", PASSWORD)).isZero();
        String ca = Files.readString(dir.resolve("ca.crt"));

        assertThat(run("--dir", dir.toString())).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("pass the --password it was made with");

        assertThat(run("--dir", dir.toString(), "--client", "carol", "--password", PASSWORD)).isZero();
        assertThat(Files.readString(dir.resolve("ca.crt"))).isEqualTo(ca);
        assertThat(run("--dir", dir.toString(), "--client", "dave", "--password", "wrong")).isEqualTo(1);
        assertThat(err.toString()).contains("cannot read the CA in");
    }

    @Test
    void shouldRefuseAClientNameThatIsNotAFileName() {
        assertThat(run("--dir", dir.toString(), "--client", "../evil")).isEqualTo(CommandLine.ExitCode.USAGE);
        assertThat(err.toString()).contains("client name '../evil'");
    }

    private int run(String... args) {
        return new CommandLine(new DevCertsCommand()).setOut(new PrintWriter(out)).setErr(new PrintWriter(err)).execute(args);
    }

    private SSLContext context(String keyStore) throws Exception {
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(load(keyStore), PASSWORD.toCharArray());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load("truststore.p12"));
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), trust.getTrustManagers(), null);
        return context;
    }

    private KeyStore load(String file) throws Exception {
        try (InputStream in = Files.newInputStream(dir.resolve(file))) {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(in, PASSWORD.toCharArray());
            return store;
        }
    }
}
