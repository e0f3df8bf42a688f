package io.runnel.broker.config;

/**
 * A configuration the broker refuses to start with. The message is one line that names the key, fit
 * to print as it is; there is no stack trace to show.
 */
public final class InvalidConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** An error whose message names the offending key and value. */
    public InvalidConfigException(String message) {
        super(message, null, false, false);
    }
}
