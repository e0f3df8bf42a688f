package io.runnel.bench.compare;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Loopback TCP throughput: one connection, one thread writing 1 MiB buffers as fast as it can, one
 * thread reading them, for a fixed time. What a single client connection could carry if the broker
 * cost nothing.
 */
final class LoopbackCeiling {

    private static final int BUFFER = 1 << 20;

    private LoopbackCeiling() {
    }

    static Ceiling measure(Duration duration) throws IOException, InterruptedException {
        ExecutorService reader = Executors.newSingleThreadExecutor();
        try (ServerSocketChannel server = ServerSocketChannel.open()) {
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            Future<Long> received = reader.submit(() -> drain(server));
            long start = System.nanoTime();
            try (SocketChannel client = SocketChannel.open(server.getLocalAddress())) {
                ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER);
                long end = start + duration.toNanos();
                while (System.nanoTime() < end) {
                    buffer.clear();
                    while (buffer.hasRemaining()) {
                        client.write(buffer);
                    }
                }
            }
            long bytes = received.get();
            double seconds = (System.nanoTime() - start) / 1e9;
            return new Ceiling("loopback TCP, one connection", bytes / seconds / BUFFER);
        } catch (ExecutionException e) {
            throw new IOException("loopback reader failed", e.getCause());
        } finally {
            reader.shutdownNow();
        }
    }

    private static long drain(ServerSocketChannel server) throws IOException {
        try (SocketChannel connection = server.accept()) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER);
            long total = 0;
            int read;
            while ((read = connection.read(buffer)) >= 0) {
                total += read;
                buffer.clear();
            }
            return total;
        }
    }
}
