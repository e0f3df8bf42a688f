package io.runnel.it.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.runnel.testkit.EmbeddedBroker;
import io.runnel.testkit.tls.TestCertificates;
import io.runnel.testkit.tls.TestIdentity;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** librdkafka (kcat, OpenSSL) over mutual TLS with PEM files. Skipped where kcat is not installed. */
class TlsKcatIT {

    private static final int MESSAGES = 300;

    @TempDir
    Path tempDir;

    @Test
    void shouldProduceAndConsumeWithKcatOverMutualTls() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/kcat")), "kcat is not installed");
        TestCertificates ca = TestCertificates.create(tempDir.resolve("ca"), "Runnel Test CA");
        TestIdentity brokerIdentity = ca.issue("broker", "CN=localhost,O=Runnel");
        TestIdentity client = ca.issue("kcat", "CN=kcat,O=Runnel");
        Map<String, String> brokerConfigs = new HashMap<>(brokerIdentity.keystoreConfigs("PKCS12"));
        brokerConfigs.putAll(ca.truststoreConfigs("PKCS12"));
        brokerConfigs.put("ssl.client.auth", "required");
        Path input = Files.write(tempDir.resolve("input.txt"), IntStream.range(0, MESSAGES).mapToObj(i -> "key-" + i + ":value-" + i).toList());

        try (EmbeddedBroker broker = EmbeddedBroker.start(tempDir.resolve("data"), "SSL", brokerConfigs)) {
            List<String> tls = List.of("-X", "security.protocol=ssl",
                    "-X", "ssl.ca.location=" + Files.writeString(tempDir.resolve("ca.pem"), ca.certificatePem()),
                    "-X", "ssl.certificate.location=" + Files.writeString(tempDir.resolve("kcat.pem"), client.certificateChainPem()),
                    "-X", "ssl.key.location=" + Files.writeString(tempDir.resolve("kcat.key"), client.privateKeyPem()));

            Process produce = kcat(broker, tls, "-P", "-t", "kcat-tls", "-K:", "-l", input.toString(), "-X", "enable.idempotence=true");
            assertThat(produce.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(produce.exitValue()).as(output(produce)).isZero();

            Process consume = kcat(broker, tls, "-C", "-t", "kcat-tls", "-o", "beginning", "-e", "-q", "-f", "%k=%s\\n");
            assertThat(consume.waitFor(60, TimeUnit.SECONDS)).isTrue();
            List<String> read = output(consume).lines().filter(line -> line.startsWith("key-")).toList();
            assertThat(read).hasSize(MESSAGES).contains("key-0=value-0", "key-299=value-299");
        }
    }

    private static Process kcat(EmbeddedBroker broker, List<String> tls, String... arguments) throws IOException {
        List<String> command = new ArrayList<>(List.of("kcat", "-b", broker.bootstrapServers()));
        command.addAll(tls);
        command.addAll(List.of(arguments));
        return new ProcessBuilder(command).redirectErrorStream(true).start();
    }

    private static String output(Process process) throws IOException {
        return new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }
}
