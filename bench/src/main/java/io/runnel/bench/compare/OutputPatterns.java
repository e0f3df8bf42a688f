package io.runnel.bench.compare;

import java.util.Optional;
import java.util.regex.MatchResult;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds figures in a load generator's output. */
final class OutputPatterns {

    private OutputPatterns() {
    }

    /** The last match of {@code pattern} in {@code output}: the final summary, not a progress line. */
    static Optional<MatchResult> last(Pattern pattern, String output) {
        Matcher matcher = pattern.matcher(output);
        MatchResult last = null;
        while (matcher.find()) {
            last = matcher.toMatchResult();
        }
        return Optional.ofNullable(last);
    }

    /** The number in a row of a {@code runnel perf} result table, e.g. {@code "  MB/s  78.63"}. */
    static Optional<Double> tableRow(String output, String name) {
        Pattern row = Pattern.compile("^  " + Pattern.quote(name) + " +(-?[0-9.]+)", Pattern.MULTILINE);
        return last(row, output).map(m -> Double.parseDouble(m.group(1)));
    }

    /** The last line of the output, to say why a load failed. */
    static String lastLine(String output) {
        String trimmed = output.strip();
        int newline = trimmed.lastIndexOf('\n');
        String line = newline < 0 ? trimmed : trimmed.substring(newline + 1);
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }
}
