package io.runnel.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The range of local ports the kernel hands out to outgoing connections and to {@code bind(0)}: on
 * Linux {@code /proc/sys/net/ipv4/ip_local_port_range} ("low high"), elsewhere or when that file cannot
 * be read, Linux's default 32768–60999. Immutable.
 *
 * @param low  the lowest ephemeral port, inclusive
 * @param high the highest ephemeral port, inclusive
 */
record EphemeralPortRange(int low, int high) {

    /** Linux's default range, used when the host does not say. */
    static final EphemeralPortRange LINUX_DEFAULT = new EphemeralPortRange(32768, 60999);

    private static final Path LINUX_RANGE_FILE = Path.of("/proc/sys/net/ipv4/ip_local_port_range");

    EphemeralPortRange {
        if (low < 1 || high > 65535 || low > high) {
            throw new IllegalArgumentException("not a port range: " + low + "-" + high);
        }
    }

    /** The range of this host. */
    static EphemeralPortRange ofThisHost() {
        return readFrom(LINUX_RANGE_FILE);
    }

    /** The range in a file formatted as {@code ip_local_port_range}, or {@link #LINUX_DEFAULT} when it is missing or unreadable. */
    static EphemeralPortRange readFrom(Path rangeFile) {
        try {
            String[] bounds = Files.readString(rangeFile).trim().split("\\s+");
            return new EphemeralPortRange(Integer.parseInt(bounds[0]), Integer.parseInt(bounds[1]));
        } catch (IOException | RuntimeException unreadable) {
            return LINUX_DEFAULT;
        }
    }

    boolean contains(int port) {
        return port >= low && port <= high;
    }
}
