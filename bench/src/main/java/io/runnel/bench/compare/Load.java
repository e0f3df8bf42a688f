package io.runnel.bench.compare;

import java.io.IOException;
import java.util.Map;
import org.apache.kafka.common.security.auth.SecurityProtocol;

/**
 * One load generator run against a broker: the command that runs it, and how to read its figures
 * from what it printed. Implementations are immutable.
 */
interface Load {

    /** The topic the load uses; the harness creates it first. */
    TopicSpec topic();

    /** Records that must be in the topic before the load starts (written, unmeasured, by the harness). */
    default long prefillRecords() {
        return 0;
    }

    /**
     * The program that writes the {@link #prefillRecords} first: by default {@code runnel perf produce}
     * with acks=1.
     */
    default JavaCommand prefill(Toolbox toolbox, String bootstrap) throws IOException {
        return RunnelPerfLoad.produce(topic(), prefillRecords(), "1").command(toolbox, bootstrap);
    }

    /** The protocol of the listener the load runs over ({@link SecuredLoad}); the prefill always uses PLAINTEXT. */
    default SecurityProtocol protocol() {
        return SecurityProtocol.PLAINTEXT;
    }

    /** The load generator's JVM, pointed at {@code bootstrap}. */
    JavaCommand command(Toolbox toolbox, String bootstrap) throws IOException;

    /**
     * The figures the load printed.
     *
     * @throws LoadFailedException if the output does not show a complete run
     */
    Map<Metric, Double> parse(String output) throws LoadFailedException;

    /** Bytes a complete run moves through the broker, for CPU per GB; 0 where that means nothing. */
    long bytesMoved();
}
