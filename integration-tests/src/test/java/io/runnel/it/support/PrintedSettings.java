package io.runnel.it.support;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The {@code key=value} settings a command prints under a heading, as {@code runnel tls dev-certs} does. */
public final class PrintedSettings {

    private PrintedSettings() {
    }

    /** The ssl.* and security.protocol lines of the section whose heading starts with {@code heading}, up to the next blank line. */
    public static Map<String, String> section(List<String> lines, String heading) {
        Map<String, String> settings = new HashMap<>();
        int start = 0;
        while (!lines.get(start).startsWith(heading)) {
            start++;
        }
        for (int i = start + 1; i < lines.size() && !lines.get(i).isBlank(); i++) {
            String line = lines.get(i);
            if (line.startsWith("ssl.") || line.startsWith("security.protocol=")) {
                settings.put(line.substring(0, line.indexOf('=')), line.substring(line.indexOf('=') + 1));
            }
        }
        return settings;
    }
}
