package io.runnel.cli.output;

/**
 * Builds one JSON object on one line, for output that tools such as {@code jq} read. Strings are
 * escaped as RFC 8259 requires (quote, backslash, control characters; everything else as is, in
 * UTF-16 as Java holds it). Not thread-safe; one object per instance.
 * <pre>{@code new Json().field("offset", 5).field("key", "k").toString()  // {"offset":5,"key":"k"}}</pre>
 */
public final class Json {

    private final StringBuilder text = new StringBuilder("{");

    /** Adds a number field. */
    public Json field(String name, long value) {
        name(name).append(value);
        return this;
    }

    /** Adds a string field; {@code null} is written as JSON {@code null}. */
    public Json field(String name, String value) {
        name(name);
        appendString(text, value);
        return this;
    }

    /** Adds a field whose value is already JSON (an array or object built elsewhere). */
    public Json rawField(String name, String json) {
        name(name).append(json);
        return this;
    }

    /** The object. */
    @Override
    public String toString() {
        return text + "}";
    }

    /** Appends {@code value} as a JSON string (or {@code null}). */
    private static void appendString(StringBuilder out, String value) {
        if (value == null) {
            out.append("null");
            return;
        }
        out.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }

    private StringBuilder name(String name) {
        if (text.length() > 1) {
            text.append(',');
        }
        appendString(text, name);
        return text.append(':');
    }
}
