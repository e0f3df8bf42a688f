package io.runnel.bench.compare;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Sequential write to a file in the brokers' data directory root, 1 MiB at a time: once into the page
 * cache only (what both brokers do by default), once followed by {@code fdatasync} as {@code dd
 * conv=fdatasync} does (what the device sustains).
 */
final class DiskCeiling {

    private static final int BUFFER = 1 << 20;

    private DiskCeiling() {
    }

    static Ceiling buffered(Path dir, long bytes) throws IOException {
        return new Ceiling("sequential write, page cache (no fdatasync)", write(dir, bytes, false));
    }

    static Ceiling synced(Path dir, long bytes) throws IOException {
        return new Ceiling("sequential write + fdatasync", write(dir, bytes, true));
    }

    private static double write(Path dir, long bytes, boolean sync) throws IOException {
        Files.createDirectories(dir);
        Path file = Files.createTempFile(dir, "ceiling", ".bin");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.allocateDirect(BUFFER);
            long start = System.nanoTime();
            for (long written = 0; written < bytes; written += BUFFER) {
                buffer.clear();
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
            if (sync) {
                channel.force(false);
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            return bytes / seconds / BUFFER;
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
