package io.runnel.cli.tls;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code runnel tls dev-certs}: a development CA (made once, reused by later runs in the same directory)
 * and, signed by it, a broker certificate for the given host names and a certificate per client, as
 * PKCS12 stores and PEM files, with the {@code ssl.*} lines a broker and each client need. What Kafka
 * users otherwise script with keytool and openssl for every test cluster. For development only: the
 * keys are as safe as the directory.
 */
@Command(name = "dev-certs", mixinStandardHelpOptions = true,
        description = {"Make a development CA, a broker certificate and client certificates, with the ssl.* settings that use them.",
                "Running it again in the same directory reuses the CA (pass the same --password), so new certificates are trusted too."})
public final class DevCertsCommand implements Callable<Integer> {

    /** Names that become file names and common names. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Option(names = "--dir", defaultValue = "certs", description = "Directory of the files (default: ${DEFAULT-VALUE}).")
    private Path dir;

    @Option(names = "--host", split = ",", defaultValue = "localhost",
            description = "Host names or addresses clients reach the broker by, comma-separated (default: ${DEFAULT-VALUE}; localhost adds 127.0.0.1 and ::1).")
    private List<String> hosts;

    @Option(names = "--client", split = ",", defaultValue = "client",
            description = "Client names, comma-separated; each gets a certificate with CN=<name> (default: ${DEFAULT-VALUE}).")
    private List<String> clients;

    @Option(names = "--password", description = "Password of the stores (default: a random one, printed; required to reuse an existing CA).")
    private String password;

    @Option(names = "--days", defaultValue = "365", description = "How long the certificates are valid (default: ${DEFAULT-VALUE}).")
    private int days;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        try {
            check();
            Files.createDirectories(dir);
            Path caStore = dir.resolve("ca.p12");
            boolean reuse = Files.exists(caStore);
            if (reuse && password == null) {
                throw usageError(caStore + " exists: pass the --password it was made with to reuse it");
            }
            char[] secret = (password == null ? randomPassword() : password).toCharArray();
            Duration validity = Duration.ofDays(days);
            DevCertificateAuthority ca = reuse ? DevCertificateFiles.readAuthority(caStore, secret)
                    : DevCertificateAuthority.create("Runnel development CA", validity.multipliedBy(2), Clock.systemUTC());
            writeAuthority(ca, caStore, secret, reuse);
            write("broker", ca.issue(brokerHosts().get(0), brokerHosts(), validity, Clock.systemUTC()), secret);
            for (String client : clients) {
                write(client, ca.issue(client, List.of(), validity, Clock.systemUTC()), secret);
            }
            printSettings(out, new String(secret), reuse);
            return 0;
        } catch (IOException e) {
            err.println("runnel: " + e.getMessage());
            return 1;
        }
    }

    private void check() {
        if (days < 1) {
            throw usageError("--days must be at least 1");
        }
        for (String name : clients) {
            if (!NAME.matcher(name).matches() || "broker".equals(name) || "ca".equals(name) || "truststore".equals(name)) {
                throw usageError("client name '" + name + "' cannot be a file name here: use letters, digits, '.', '_' and '-', "
                        + "and not broker, ca or truststore");
            }
        }
        if (hosts.stream().anyMatch(String::isBlank)) {
            throw usageError("--host names an empty host");
        }
    }

    /** The broker's host names and addresses; {@code localhost} brings the loopback addresses clients may use for it. */
    private List<String> brokerHosts() {
        Set<String> names = new LinkedHashSet<>(hosts);
        if (names.contains("localhost")) {
            names.add("127.0.0.1");
            names.add("::1");
        }
        return new ArrayList<>(names);
    }

    private void writeAuthority(DevCertificateAuthority ca, Path caStore, char[] secret, boolean reuse) throws IOException {
        if (!reuse) {
            DevCertificateFiles.writeKeyStore(caStore, DevCertificateFiles.CA_ALIAS,
                    new SignedIdentity(ca.key(), new X509Certificate[] {ca.certificate()}), secret);
        }
        DevCertificateFiles.writeCertificates(dir.resolve("ca.crt"), ca.certificate());
        DevCertificateFiles.writeTrustStore(dir.resolve("truststore.p12"), ca.certificate(), secret);
    }

    private void write(String name, SignedIdentity identity, char[] secret) throws IOException {
        DevCertificateFiles.writeKeyStore(dir.resolve(name + ".p12"), name, identity, secret);
        DevCertificateFiles.writeCertificates(dir.resolve(name + ".crt"), identity.chain());
        DevCertificateFiles.writeKey(dir.resolve(name + ".key"), identity.key());
    }

    private void printSettings(PrintWriter out, String secret, boolean reused) {
        Path at = dir.toAbsolutePath().normalize();
        out.printf("%s a development CA in %s (ca.crt, truststore.p12) and signed certificates for the broker (%s) and %s.%n",
                reused ? "Reused" : "Made", at, String.join(", ", brokerHosts()), String.join(", ", clients));
        out.println("For development only: the keys are as safe as that directory.");
        out.println();
        out.println("# broker: add to server.properties (ssl.client.auth=required makes clients show their certificate)");
        out.println("listeners=PLAINTEXT://localhost:9092,SSL://localhost:9093");
        printStores(out, "broker", secret);
        out.println("ssl.client.auth=required");
        for (String client : clients) {
            out.println();
            out.println("# client " + client + " (principal User:CN=" + client + "): Java clients and Kafka's tools");
            out.println("security.protocol=SSL");
            printStores(out, client, secret);
            out.println("# librdkafka (kcat, confluent-kafka): -X security.protocol=ssl -X ssl.ca.location=" + at.resolve("ca.crt")
                    + " -X ssl.certificate.location=" + at.resolve(client + ".crt") + " -X ssl.key.location=" + at.resolve(client + ".key"));
        }
        out.flush();
    }

    /** The ssl.* lines of an identity's key store and of the trust store; PKCS12 said aloud, as Kafka's default type is JKS. */
    private void printStores(PrintWriter out, String name, String secret) {
        Path at = dir.toAbsolutePath().normalize();
        out.println("ssl.keystore.type=PKCS12");
        out.println("ssl.keystore.location=" + at.resolve(name + ".p12"));
        out.println("ssl.keystore.password=" + secret);
        out.println("ssl.truststore.type=PKCS12");
        out.println("ssl.truststore.location=" + at.resolve("truststore.p12"));
        out.println("ssl.truststore.password=" + secret);
    }

    private static String randomPassword() {
        byte[] bytes = new byte[12];
        new SecureRandom().nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private CommandLine.ParameterException usageError(String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
