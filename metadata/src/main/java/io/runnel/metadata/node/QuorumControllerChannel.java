package io.runnel.metadata.node;

import io.runnel.metadata.controller.Committed;
import io.runnel.metadata.controller.ControllerChannel;
import io.runnel.metadata.controller.ControllerCommand;
import io.runnel.metadata.controller.ControllerMessages;
import io.runnel.metadata.quorum.QuorumClient;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.NotControllerException;

/**
 * Sends commands to the active controller through the quorum: the quorum client finds the leader, whose
 * {@link MetadataStateMachine} hands the command to its controller. A quorum without a leader answers
 * Kafka's REQUEST_TIMED_OUT or NOT_CONTROLLER. Thread-safe.
 */
final class QuorumControllerChannel implements ControllerChannel {

    private final QuorumClient client;

    QuorumControllerChannel(QuorumClient client) {
        this.client = client;
    }

    @Override
    public CompletableFuture<Committed> send(ControllerCommand command) {
        return client.send(QuorumMessages.command(ControllerMessages.encodeCommand(command))).handle((reply, failure) -> {
            if (failure != null) {
                throw new CompletionException(translate(failure));
            }
            try {
                return ControllerMessages.decodeReply(reply);
            } catch (IOException e) {
                throw new CompletionException(new NotControllerException("Unreadable controller reply: " + e.getMessage()));
            }
        });
    }

    private static ApiException translate(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (cause instanceof ApiException api) {
            return api;
        }
        if (cause instanceof TimeoutException) {
            return new org.apache.kafka.common.errors.TimeoutException("No metadata quorum leader answered: " + cause.getMessage());
        }
        return new NotControllerException("The metadata quorum has no active controller: " + cause.getMessage());
    }
}
