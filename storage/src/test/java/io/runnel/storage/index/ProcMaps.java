package io.runnel.storage.index;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Linux only: how many of this JVM's memory mappings are of files under a directory. */
public final class ProcMaps {
    private static final Path MAPS = Path.of("/proc/self/maps");

    private ProcMaps() {
    }

    public static boolean available() {
        return Files.isReadable(MAPS) && MappedBuffers.canUnmap();
    }

    public static long mappingsUnder(Path dir) throws IOException {
        String prefix = dir.toAbsolutePath().toString() + "/";
        try (var lines = Files.lines(MAPS)) {
            return lines.filter(line -> line.contains(prefix)).count();
        }
    }
}
