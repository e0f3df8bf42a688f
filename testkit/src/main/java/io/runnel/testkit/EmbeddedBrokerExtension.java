package io.runnel.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * A JUnit 5 extension that gives every test a fresh {@link EmbeddedBroker} in its own temporary data
 * directory, closed and deleted after the test.
 *
 * <p>Either declare a parameter:
 * <pre>{@code
 * @ExtendWith(EmbeddedBrokerExtension.class)
 * class MyTest {
 *     @Test void works(EmbeddedBroker broker) { ... broker.bootstrapServers() ... }
 * }
 * }</pre>
 * or register it with broker configs and read the broker from the field:
 * <pre>{@code
 * @RegisterExtension
 * final EmbeddedBrokerExtension runnel = EmbeddedBrokerExtension.withConfig(Map.of("num.partitions", "4"));
 * @Test void works() { ... runnel.broker().bootstrapServers() ... }
 * }</pre>
 */
public final class EmbeddedBrokerExtension implements BeforeEachCallback, AfterEachCallback, ParameterResolver {

    private final Map<String, String> overrides;
    private Path dataDir;
    private EmbeddedBroker broker;

    /** An extension whose brokers use the default configuration. */
    public EmbeddedBrokerExtension() {
        this(Map.of());
    }

    private EmbeddedBrokerExtension(Map<String, String> overrides) {
        this.overrides = Map.copyOf(overrides);
    }

    /** An extension whose brokers use these configs (Kafka key names) over the defaults. */
    public static EmbeddedBrokerExtension withConfig(Map<String, String> overrides) {
        return new EmbeddedBrokerExtension(overrides);
    }

    /** The broker of the running test. */
    public EmbeddedBroker broker() {
        if (broker == null) {
            throw new IllegalStateException("No test is running");
        }
        return broker;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        dataDir = Files.createTempDirectory("runnel-test-");
        broker = EmbeddedBroker.start(dataDir.resolve("data"), overrides);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        try {
            if (broker != null) {
                broker.close();
            }
        } finally {
            broker = null;
            deleteRecursively(dataDir);
        }
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == EmbeddedBroker.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return broker();
    }

    private static void deleteRecursively(Path root) {
        if (root == null || !Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> {
                try {
                    Files.deleteIfExists(path);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete " + root, e);
        }
    }
}
