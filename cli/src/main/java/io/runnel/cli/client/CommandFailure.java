package io.runnel.cli.client;

/**
 * An expected failure of a command, such as a topic that already exists: its message is the one line
 * printed after {@code runnel: }, and the command exits 1. No stack trace is printed for it.
 */
public final class CommandFailure extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** A failure described by {@code message}, a sentence that says what went wrong. */
    public CommandFailure(String message) {
        super(message, null, false, false);
    }

    /** The failure for a topic that does not exist. */
    public static CommandFailure noSuchTopic(String topic) {
        return new CommandFailure("Topic '" + topic + "' does not exist.");
    }

    /** The failure for a consumer group that does not exist. */
    public static CommandFailure noSuchGroup(String group) {
        return new CommandFailure("Group '" + group + "' does not exist.");
    }

    /** The failure for a transactional id no coordinator holds (never initialized, or expired). */
    public static CommandFailure noSuchTransactionalId(String transactionalId) {
        return new CommandFailure("Transactional id '" + transactionalId + "' does not exist.");
    }
}
