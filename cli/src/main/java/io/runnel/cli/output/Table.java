package io.runnel.cli.output;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A table for people that scripts can still read: a header row of upper-case names, then one row per
 * item, columns left-aligned and separated by at least two spaces, no trailing spaces. A missing value
 * is written {@code -}, so every row has every column. Not thread-safe; built and printed by one thread.
 * <pre>
 * TOPIC   PARTITION  LEADER
 * orders  0          1
 * </pre>
 */
public final class Table {

    /** What a table shows for a value that does not exist (no committed offset, no member). */
    public static final String NONE = "-";

    private final String[] header;
    private final List<String[]> rows = new ArrayList<>();

    /** A table with these column names. */
    public Table(String... header) {
        this.header = header.clone();
    }

    /** Adds a row; each value is shown with {@link String#valueOf}, {@code null} as {@value #NONE}. */
    public Table row(Object... values) {
        if (values.length != header.length) {
            throw new IllegalArgumentException("a row of " + values.length + " values in a table of " + header.length + " columns");
        }
        rows.add(Arrays.stream(values).map(value -> value == null ? NONE : String.valueOf(value)).toArray(String[]::new));
        return this;
    }

    /** Writes the header and the rows. */
    public void print(PrintWriter out) {
        int[] widths = new int[header.length];
        widen(widths, header);
        rows.forEach(row -> widen(widths, row));
        printRow(out, widths, header);
        rows.forEach(row -> printRow(out, widths, row));
    }

    private static void widen(int[] widths, String[] row) {
        for (int i = 0; i < row.length; i++) {
            widths[i] = Math.max(widths[i], row[i].length());
        }
    }

    private static void printRow(PrintWriter out, int[] widths, String[] row) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < row.length; i++) {
            line.append(row[i]);
            if (i < row.length - 1) {
                line.append(" ".repeat(widths[i] - row[i].length() + 2));
            }
        }
        out.println(line.toString().stripTrailing());
    }
}
