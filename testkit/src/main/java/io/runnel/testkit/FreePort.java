package io.runnel.testkit;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Picks TCP ports of localhost for listeners that must be known before they are bound: the ports of a
 * cluster's nodes (each voter needs the others' controller ports in {@code controller.quorum.voters}),
 * and a broker process's port, which the test names before the child starts. A broker alone in the test
 * JVM should bind port 0 itself instead ({@link EmbeddedBroker} does).
 *
 * <p>Why not {@code bind(0)}, read the port, close: that port comes from the kernel's ephemeral range
 * ({@link EphemeralPortRange}), the same range every outgoing connection takes its local port from. Brokers
 * open many (replica fetchers, the controller's connections to every broker listener, clients), so
 * between the pick and the broker's bind an outgoing socket can take the port, and the broker fails with
 * "Address already in use". Ports are therefore picked below the ephemeral range, in
 * [{@value #LOWEST_PORT}, low end), where the kernel never assigns a port on its own; if the host's
 * range leaves too little room there, above it (up to 65535).
 *
 * <p>Test JVMs run side by side (surefire and failsafe forks, other builds on the machine), each with its
 * own counter: every JVM starts at a random point of the range and walks on from there, so two JVMs
 * rarely walk the same ports, and each candidate is bound once before it is handed out, so a port a
 * listener already holds is skipped. Thread-safe.
 */
public final class FreePort {

    /** Below this, ports belong to well-known and registered services more often. */
    static final int LOWEST_PORT = 10_000;

    /** A range with fewer ports than this is too small to spread JVMs over; the other side is used. */
    private static final int SMALLEST_USABLE_RANGE = 1_000;

    private static final int HIGHEST_PORT = 65_535;

    private static final EphemeralPortRange EPHEMERAL = EphemeralPortRange.ofThisHost();
    private static final int FIRST_CANDIDATE = firstCandidate(EPHEMERAL);
    private static final int CANDIDATES = candidates(EPHEMERAL);
    /** Candidates handed out so far by this JVM, from a random start so that JVMs walk different ports. */
    private static final AtomicInteger NEXT = new AtomicInteger(ThreadLocalRandom.current().nextInt(CANDIDATES));

    private FreePort() {
    }

    /**
     * A port of localhost outside the ephemeral range that no listener held a moment ago and that this
     * JVM has not handed out before (until the range wraps around).
     *
     * @throws IllegalStateException when every candidate is taken
     */
    public static int pick() {
        for (int attempt = 0; attempt < CANDIDATES; attempt++) {
            int port = FIRST_CANDIDATE + Math.floorMod(NEXT.getAndIncrement(), CANDIDATES);
            if (isBindable(port)) {
                return port;
            }
        }
        throw new IllegalStateException("no free port of localhost outside the ephemeral range " + EPHEMERAL);
    }

    /** Below the ephemeral range if it leaves room there, else above it. */
    private static boolean fitsBelow(EphemeralPortRange ephemeral) {
        return ephemeral.low() - LOWEST_PORT >= SMALLEST_USABLE_RANGE;
    }

    private static int firstCandidate(EphemeralPortRange ephemeral) {
        return fitsBelow(ephemeral) ? LOWEST_PORT : ephemeral.high() + 1;
    }

    private static int candidates(EphemeralPortRange ephemeral) {
        int size = fitsBelow(ephemeral) ? ephemeral.low() - LOWEST_PORT : HIGHEST_PORT - ephemeral.high();
        if (size < 1) {
            throw new IllegalStateException("the ephemeral range " + ephemeral + " leaves no port for listeners");
        }
        return size;
    }

    private static boolean isBindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException taken) {
            return false;
        }
    }
}
