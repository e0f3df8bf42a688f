package io.runnel.cli.client;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.config.ConfigException;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.UnsupportedVersionException;
import picocli.CommandLine;

/**
 * Turns what a Kafka client throws into the one line a person reads, and the exit code: 1 for a
 * failure the broker reported or a broker that did not answer, 2 for a client configuration that is
 * wrong (a usage error, as picocli's). Whatever a client's future fails with is its answer (exit 1);
 * anything else thrown directly is a bug and is rethrown. Stateless.
 */
public final class ClientErrors {

    private ClientErrors() {
    }

    /** One line and an exit code. */
    public record Failure(String line, int exitCode) {
    }

    /**
     * Describes an expected failure.
     *
     * @param error           what was thrown (an {@link ExecutionException} is unwrapped)
     * @param bootstrapServer the broker address, named when it does not answer
     * @throws RuntimeException {@code error} itself when it is not an expected failure
     */
    public static Failure describe(Throwable error, String bootstrapServer) {
        Throwable cause = unwrap(error);
        if (cause instanceof CommandFailure) {
            return new Failure(cause.getMessage(), CommandLine.ExitCode.SOFTWARE);
        }
        if (cause instanceof ConfigException) {
            return new Failure(cause.getMessage(), CommandLine.ExitCode.USAGE);
        }
        if (cause instanceof TimeoutException) {
            return new Failure("no answer from " + bootstrapServer + " in time (" + cause.getMessage()
                    + "); is a broker running there?", CommandLine.ExitCode.SOFTWARE);
        }
        if (cause instanceof UnsupportedVersionException) {
            return new Failure("the broker does not support this request: " + cause.getMessage(), CommandLine.ExitCode.SOFTWARE);
        }
        if (cause instanceof ApiException || cause instanceof KafkaException) {
            return new Failure(cause.getMessage(), CommandLine.ExitCode.SOFTWARE);
        }
        if (cameThroughAFuture(error)) {
            // The client's answer to this request, e.g. "GroupId x is not a consumer group": not a bug here.
            return new Failure(String.valueOf(cause.getMessage()), CommandLine.ExitCode.SOFTWARE);
        }
        if (cause instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (cause instanceof java.io.IOException) {
            return new Failure(cause.getMessage(), CommandLine.ExitCode.SOFTWARE);
        }
        throw new IllegalStateException(cause);
    }

    /** The failure inside the wrappers that futures and client constructors put around it. */
    static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause instanceof ExecutionException || cause instanceof CompletionException
                || isWrapper(cause)) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    private static boolean cameThroughAFuture(Throwable error) {
        return error instanceof ExecutionException || error instanceof CompletionException;
    }

    /** "Failed to create new KafkaAdminClient" and the like: a plain KafkaException around the real one. */
    private static boolean isWrapper(Throwable error) {
        return error.getClass() == KafkaException.class && error.getCause() instanceof KafkaException;
    }
}
