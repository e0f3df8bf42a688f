package io.runnel.cli.produce;

import io.runnel.cli.client.CommandFailure;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;

/**
 * Splits a line of {@code runnel produce}'s input into a record's headers, key and value:
 * <pre>
 * [headers TAB] [key SEPARATOR] value
 * trace=abc,source=web	customer-42:created
 * </pre>
 * Headers are read only with {@code --parse-headers}: comma-separated {@code name=value} pairs (a name
 * without {@code =} has a null value; an empty field has no headers) ending at the first tab. The key is
 * read only with a key separator: the text before its first occurrence. Immutable.
 */
final class LineParser {

    private final String keySeparator;
    private final boolean parseHeaders;

    /**
     * @param keySeparator what separates the key from the value (not empty), or {@code null} for records without keys
     * @param parseHeaders whether each line starts with headers and a tab
     */
    LineParser(String keySeparator, boolean parseHeaders) {
        this.keySeparator = keySeparator;
        this.parseHeaders = parseHeaders;
    }

    /** A record's parts, as UTF-8 bytes. */
    record Parsed(byte[] key, byte[] value, List<Header> headers) {
    }

    /**
     * Parses one line.
     *
     * @param lineNumber counted from 1, for the error message
     * @throws CommandFailure when the line lacks the tab after its headers or its key separator
     */
    Parsed parse(String line, long lineNumber) {
        String rest = line;
        List<Header> headers = new ArrayList<>();
        if (parseHeaders) {
            int tab = rest.indexOf('\t');
            if (tab < 0) {
                throw new CommandFailure("line " + lineNumber + " has no tab after its headers");
            }
            headers = headers(rest.substring(0, tab));
            rest = rest.substring(tab + 1);
        }
        byte[] key = null;
        if (keySeparator != null) {
            int separator = rest.indexOf(keySeparator);
            if (separator < 0) {
                throw new CommandFailure("line " + lineNumber + " has no key separator '" + keySeparator + "'");
            }
            key = utf8(rest.substring(0, separator));
            rest = rest.substring(separator + keySeparator.length());
        }
        return new Parsed(key, utf8(rest), headers);
    }

    /** Parses {@code name=value} (or {@code name}, for a null value) into a header. */
    static Header header(String text) {
        int equals = text.indexOf('=');
        return equals < 0 ? new RecordHeader(text, null) : new RecordHeader(text.substring(0, equals), utf8(text.substring(equals + 1)));
    }

    private static List<Header> headers(String field) {
        List<Header> headers = new ArrayList<>();
        if (!field.isEmpty()) {
            for (String pair : field.split(",", -1)) {
                headers.add(header(pair));
            }
        }
        return headers;
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
