package io.runnel.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class FreePortTest {

    private static final int PICKS = 500;

    @Test
    void shouldPickPortsOutsideTheEphemeralRange() {
        EphemeralPortRange ephemeral = EphemeralPortRange.ofThisHost();

        IntStream.range(0, PICKS).map(i -> FreePort.pick()).forEach(port -> {
            assertThat(ephemeral.contains(port)).as("port %d in the ephemeral range %s", port, ephemeral).isFalse();
            assertThat(port).isBetween(FreePort.LOWEST_PORT, 65_535);
        });
    }

    @Test
    void shouldPickADifferentPortEachTime() {
        Set<Integer> picked = new HashSet<>();

        IntStream.range(0, PICKS).forEach(i -> picked.add(FreePort.pick()));

        assertThat(picked).hasSize(PICKS);
    }

    @Test
    void shouldPickAPortThatCanBeBound() throws IOException {
        int port = FreePort.pick();

        try (ServerSocket listener = new ServerSocket()) {
            assertThatCode(() -> listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))).doesNotThrowAnyException();
        }
    }

    @Test
    void shouldSkipAPortAListenerHolds() throws IOException {
        int previous = FreePort.pick();
        int next = previous + 1;
        EphemeralPortRange ephemeral = EphemeralPortRange.ofThisHost();
        assumeThat(ephemeral.contains(next) || ephemeral.contains(next + 1) || next + 1 > 65_535).as("the walk wraps around here").isFalse();

        try (ServerSocket holder = new ServerSocket()) {
            holder.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), next));

            assertThat(FreePort.pick()).isEqualTo(next + 1);
        }
    }
}
