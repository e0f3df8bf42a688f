package io.runnel.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TestClasspathTest {

    @TempDir
    Path tempDir;

    @Test
    void shouldAddTheEntriesOfAManifestOnlyJar() throws IOException {
        Path classes = Files.createDirectories(tempDir.resolve("test-classes"));
        Path library = Files.createFile(tempDir.resolve("lib.jar"));
        Path manifestOnly = manifestOnlyJar(tempDir.resolve("surefirebooter.jar"), classes.toUri() + " lib.jar");

        String expanded = TestClasspath.expand(manifestOnly.toString());

        assertThat(expanded.split(File.pathSeparator))
                .containsExactly(manifestOnly.toString(), classes.toString(), library.toString());
    }

    @Test
    void shouldKeepAPlainClasspathAsItIs() {
        String plain = "a" + File.pathSeparator + "b.jar";

        assertThat(TestClasspath.expand(plain)).isEqualTo(plain);
    }

    private static Path manifestOnlyJar(Path jar, String classPath) throws IOException {
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(Attributes.Name.CLASS_PATH, classPath);
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream ignored = new JarOutputStream(out, manifest)) {
            return jar;
        }
    }
}
