package io.runnel.testkit.link;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinkProxyTest {

    /** How long a read waits before the test concludes that nothing comes through a cut link. */
    private static final int SILENCE_MS = 300;

    private ServerSocket echo;
    private LinkProxy proxy;

    @BeforeEach
    void startEchoServerBehindAProxy() throws IOException {
        echo = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(() -> {
            while (!echo.isClosed()) {
                try {
                    Socket socket = echo.accept();
                    Thread echoing = new Thread(() -> {
                        try (socket) {
                            socket.getInputStream().transferTo(socket.getOutputStream());
                        } catch (IOException ignored) {
                            // peer gone
                        }
                    });
                    echoing.setDaemon(true);
                    echoing.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        proxy = LinkProxy.start("test", new InetSocketAddress("127.0.0.1", 0), (InetSocketAddress) echo.getLocalSocketAddress());
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        echo.close();
    }

    private Socket connect() throws IOException {
        Socket socket = new Socket();
        socket.connect(proxy.address(), 2_000);
        socket.setSoTimeout(5_000);
        return socket;
    }

    private static String roundTrip(Socket socket, String message) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(message.getBytes());
        out.flush();
        byte[] answer = socket.getInputStream().readNBytes(message.length());
        return new String(answer);
    }

    @Test
    void shouldForwardBothWays() throws IOException {
        try (Socket socket = connect()) {
            assertThat(roundTrip(socket, "hello")).isEqualTo("hello");
            assertThat(roundTrip(socket, "again")).isEqualTo("again");
        }
    }

    @Test
    void shouldStopEveryByteWhileCutAndCloseTheStalledConnectionOnHeal() throws IOException {
        try (Socket before = connect()) {
            assertThat(roundTrip(before, "one")).isEqualTo("one");
            proxy.cut();
            before.getOutputStream().write("two".getBytes());
            before.setSoTimeout(SILENCE_MS);
            assertThatThrownBy(() -> before.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);

            try (Socket during = connect()) {   // accepted, but leads nowhere
                during.getOutputStream().write("three".getBytes());
                during.setSoTimeout(SILENCE_MS);
                assertThatThrownBy(() -> during.getInputStream().read()).isInstanceOf(SocketTimeoutException.class);

                proxy.heal();

                assertClosedByProxy(before);
                assertClosedByProxy(during);
            }
        }
        try (Socket after = connect()) {
            assertThat(roundTrip(after, "four")).isEqualTo("four");
        }
        assertThat(proxy.isCut()).isFalse();
    }

    private static void assertClosedByProxy(Socket socket) throws IOException {
        socket.setSoTimeout(5_000);
        InputStream in = socket.getInputStream();
        try {
            assertThat(in.read()).isEqualTo(-1);
        } catch (java.net.SocketException reset) {
            // a reset is a close too
        }
    }

    @Test
    void shouldIsolateANodeBothWaysAndWriteHostsFilesThatNameEveryNode(@TempDir Path dir) throws IOException {
        try (NodeLinks links = NodeLinks.start(dir, Map.of(1, List.of(echo.getLocalPort() + 1), 2, List.of(echo.getLocalPort() + 2),
                3, List.of(echo.getLocalPort() + 3)))) {
            assertThat(Files.readAllLines(links.hostsFile(2))).contains("127.0.0.1 localhost", "127.77.2.1 runnel-node-1", "127.77.2.2 runnel-node-2",
                    "127.77.2.3 runnel-node-3");
            assertThat(links.jvmOption(2)).isEqualTo("-Djdk.net.hosts.file=" + links.hostsFile(2).toAbsolutePath());

            links.isolate(2);

            assertThat(links.isolated()).containsExactly(2);
            assertThat(links.isCut(1)).isTrue();   // its links to 2
            links.heal(2);
            assertThat(links.isolated()).isEmpty();
            assertThat(links.isCut(1)).isFalse();

            links.cut(1, 3);
            assertThat(links.isCut(2)).isFalse();
            assertThat(links.isCut(3)).isTrue();
            links.healAll();
            assertThat(links.isCut(3)).isFalse();
        }
    }
}
