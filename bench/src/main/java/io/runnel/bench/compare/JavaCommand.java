package io.runnel.bench.compare;

import java.util.ArrayList;
import java.util.List;

/**
 * A JVM to start: options, class path, main class and arguments.
 *
 * @param java the {@code java} executable
 * @param options JVM options (heap, GC)
 * @param classpath the class path
 * @param mainClass the class whose {@code main} runs
 * @param arguments the program's arguments
 */
record JavaCommand(String java, List<String> options, String classpath, String mainClass, List<String> arguments) {

    /** The command line for {@link ProcessBuilder}. */
    List<String> commandLine() {
        List<String> line = new ArrayList<>();
        line.add(java);
        line.addAll(options);
        line.add("-cp");
        line.add(classpath);
        line.add(mainClass);
        line.addAll(arguments);
        return line;
    }
}
