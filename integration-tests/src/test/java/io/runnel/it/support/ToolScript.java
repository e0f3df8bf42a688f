package io.runnel.it.support;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.Reader;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

/**
 * Runs several of Kafka's command-line tools, one after the other, in one JVM (each JVM start costs
 * seconds on a small CI machine): the {@code main} of each tool as its shell script would call it,
 * with its own stdin, and a marker line with its exit code after its output. Kafka's
 * {@code Exit.exit} is redirected so a tool ending the process ends only its step; the step's exit
 * code is that of its first exit, as the process would have ended there.
 *
 * <p>Launched by {@link KafkaTools} as a separate process on Kafka's tool classpath; uses only the JDK and reflection, so
 * it compiles without Kafka's server jars. The script is a properties file:
 * {@code step.N.main}, {@code step.N.args} (tab-separated), {@code step.N.stdin}, N from 0.
 */
public final class ToolScript {

    /** The marker printed after each step: {@code ### step N exit CODE}. */
    public static final String MARKER = "### step ";

    /** The code of the current step's first exit, or null if it has not exited. */
    private static Integer firstExit;

    private ToolScript() {
    }

    /** Runs the script named by {@code args[0]}, then exits 0. */
    public static void main(String[] args) throws Exception {
        Properties script = new Properties();
        try (Reader reader = Files.newBufferedReader(Path.of(args[0]), StandardCharsets.UTF_8)) {
            script.load(reader);
        }
        redirectKafkaExit();
        PrintStream out = System.out;
        InputStream in = System.in;
        for (int step = 0; script.containsKey("step." + step + ".main"); step++) {
            String stdin = script.getProperty("step." + step + ".stdin", "");
            System.setIn(new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
            String toolArgs = script.getProperty("step." + step + ".args", "");
            int exitCode = run(script.getProperty("step." + step + ".main"), toolArgs.isEmpty() ? new String[0] : toolArgs.split("\t"));
            System.setIn(in);
            out.flush();
            out.println(MARKER + step + " exit " + exitCode);
            out.flush();
        }
        Runtime.getRuntime().exit(0);
    }

    private static int run(String mainClass, String[] toolArgs) throws ReflectiveOperationException {
        Method main = Class.forName(mainClass).getMethod("main", String[].class);
        firstExit = null;
        try {
            main.invoke(null, (Object) toolArgs);
        } catch (InvocationTargetException e) {
            if (firstExit == null) {
                e.getCause().printStackTrace();
                return -1;
            }
        }
        return firstExit == null ? 0 : firstExit;
    }

    /** Kafka's {@code Exit.setExitProcedure}: exiting throws {@link ToolExit} instead of ending the JVM. */
    private static void redirectKafkaExit() throws ReflectiveOperationException {
        Class<?> exit = Class.forName("org.apache.kafka.common.utils.Exit");
        Class<?> procedure = Class.forName("org.apache.kafka.common.utils.Exit$Procedure");
        Object throwing = Proxy.newProxyInstance(ToolScript.class.getClassLoader(), new Class<?>[] {procedure}, (proxy, method, methodArgs) -> {
            if (method.getDeclaringClass() == Object.class) {
                return method.getName().equals("hashCode") ? 0 : method.getName().equals("equals") ? proxy == methodArgs[0] : "ToolExit";
            }
            if (firstExit == null) {
                firstExit = (Integer) methodArgs[0];
            }
            throw new ToolExit((Integer) methodArgs[0]);
        });
        exit.getMethod("setExitProcedure", procedure).invoke(null, throwing);
    }

    /** Thrown where a tool would end the process. */
    private static final class ToolExit extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ToolExit(int code) {
            super("exit " + code, null, false, false);
        }
    }
}
