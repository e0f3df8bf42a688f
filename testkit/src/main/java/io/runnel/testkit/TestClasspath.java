package io.runnel.testkit;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * The class path of the current JVM, as a child JVM needs it. Surefire and failsafe may start the test
 * JVM with a single "manifest-only" jar whose {@code Class-Path} attribute lists the real entries; such
 * a jar is expanded here, so the child sees every class the tests see.
 */
final class TestClasspath {

    private TestClasspath() {
    }

    /** The current JVM's class path, with manifest-only jars expanded. */
    static String current() {
        return expand(System.getProperty("java.class.path", ""));
    }

    /** {@code classpath} with the {@code Class-Path} entries of its jars' manifests added after each jar. */
    static String expand(String classpath) {
        List<String> entries = new ArrayList<>();
        for (String entry : classpath.split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            entries.add(entry);
            entries.addAll(manifestClassPath(Path.of(entry)));
        }
        return String.join(File.pathSeparator, entries);
    }

    private static List<String> manifestClassPath(Path entry) {
        if (!entry.toString().endsWith(".jar") || !Files.isRegularFile(entry)) {
            return List.of();
        }
        try (JarFile jar = new JarFile(entry.toFile())) {
            Manifest manifest = jar.getManifest();
            String classPath = manifest == null ? null : manifest.getMainAttributes().getValue("Class-Path");
            if (classPath == null || classPath.isBlank()) {
                return List.of();
            }
            URI base = entry.toAbsolutePath().getParent().toUri();
            List<String> expanded = new ArrayList<>();
            for (String reference : classPath.trim().split("\\s+")) {
                expanded.add(Path.of(base.resolve(reference)).toString());
            }
            return expanded;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the manifest of " + entry, e);
        }
    }
}
