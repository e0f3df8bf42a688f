package io.runnel.bench.compare;

import java.util.Collection;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;

/**
 * Writes JSON from maps, lists, strings, numbers, booleans and null (the bench has no JSON library
 * and needs only this). A NaN or infinite number is written as null. Keys keep the map's order.
 * Stateless.
 */
final class Json {

    private Json() {
    }

    /** {@code value} as JSON, indented by two spaces per level. */
    static String write(Object value) {
        StringBuilder out = new StringBuilder();
        write(out, value, 0);
        return out.append('\n').toString();
    }

    private static void write(StringBuilder out, Object value, int depth) {
        if (value == null) {
            out.append("null");
        } else if (value instanceof String s) {
            string(out, s);
        } else if (value instanceof Boolean b) {
            out.append(b);
        } else if (value instanceof Double || value instanceof Float) {
            double d = ((Number) value).doubleValue();
            out.append(Double.isFinite(d) ? number(d) : "null");
        } else if (value instanceof Number n) {
            out.append(n.longValue());
        } else if (value instanceof Map<?, ?> map) {
            container(out, '{', '}', map.entrySet(), depth, (entry, d) -> {
                Map.Entry<?, ?> e = (Map.Entry<?, ?>) entry;
                string(out, String.valueOf(e.getKey()));
                out.append(": ");
                write(out, e.getValue(), d);
            });
        } else if (value instanceof Collection<?> list) {
            container(out, '[', ']', list, depth, (item, d) -> write(out, item, d));
        } else {
            string(out, value.toString());
        }
    }

    private interface ItemWriter {
        void write(Object item, int depth);
    }

    private static void container(StringBuilder out, char open, char close, Collection<?> items, int depth, ItemWriter writer) {
        if (items.isEmpty()) {
            out.append(open).append(close);
            return;
        }
        out.append(open).append('\n');
        Iterator<?> it = items.iterator();
        while (it.hasNext()) {
            out.append("  ".repeat(depth + 1));
            writer.write(it.next(), depth + 1);
            out.append(it.hasNext() ? ",\n" : "\n");
        }
        out.append("  ".repeat(depth)).append(close);
    }

    /** A finite number: an integer without a fraction, else up to 6 decimals without trailing zeros. */
    private static String number(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        String text = String.format(Locale.ROOT, "%.6f", d);
        text = text.replaceAll("0+$", "");
        return text.endsWith(".") ? text.substring(0, text.length() - 1) : text;
    }

    private static void string(StringBuilder out, String s) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        out.append('"');
    }
}
