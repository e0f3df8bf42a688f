package io.runnel.it.support;

import java.io.IOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/** Writes a data directory's {@code meta.properties}, as another cluster's node would have left it. */
public final class MetaPropertiesFiles {

    private MetaPropertiesFiles() {
    }

    /** Creates {@code dir} with a {@code meta.properties} naming {@code clusterId} and {@code nodeId}. */
    public static void write(Path dir, String clusterId, int nodeId) throws IOException {
        Files.createDirectories(dir);
        Properties meta = new Properties();
        meta.setProperty("version", "1");
        meta.setProperty("cluster.id", clusterId);
        meta.setProperty("node.id", Integer.toString(nodeId));
        try (Writer writer = Files.newBufferedWriter(dir.resolve("meta.properties"))) {
            meta.store(writer, null);
        }
    }
}
