package io.runnel.testkit;

import java.util.List;

/**
 * A {@link BrokerProcess} that did not start or did not stop as asked. The message carries the
 * process's output, so a failing test shows why.
 */
public final class BrokerProcessException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Integer exitCode;
    private final transient List<String> output;

    BrokerProcessException(String what, Integer exitCode, List<String> output) {
        super(what + (exitCode == null ? "" : " (exit code " + exitCode + ")") + "; its output:\n" + String.join("\n", output));
        this.exitCode = exitCode;
        this.output = List.copyOf(output);
    }

    /** The exit code of the process, or {@code null} when it was still running. */
    public Integer exitCode() {
        return exitCode;
    }

    /** Every line the process wrote to stdout and stderr. */
    public List<String> output() {
        return output;
    }
}
