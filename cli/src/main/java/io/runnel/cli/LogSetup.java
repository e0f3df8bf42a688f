package io.runnel.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Map;
import org.slf4j.Logger;

/**
 * The command line's logging, set up in code: one line per event on the console at
 * {@code RUNNEL_LOG_LEVEL} (INFO by default), quieter libraries. Logback finds it through its
 * {@link Configurator} service, before it would look for an XML file: parsing one took a fifth of a
 * broker's start-up (docs/performance.md). A {@code -Dlogback.configurationFile} or a
 * {@code logback-test.xml} on the class path still wins.
 */
public final class LogSetup extends ContextAwareBase implements Configurator {

    /** Libraries' loggers and their levels; Ratis logs every retry towards a peer that is down, many a second. */
    private static final Map<String, Level> LIBRARY_LEVELS = Map.of(
            "io.netty", Level.WARN,
            "org.apache.ratis", Level.WARN,
            "org.apache.ratis.util.LifeCycle", Level.OFF,
            "org.apache.ratis.server.leader", Level.ERROR,
            "org.apache.ratis.client", Level.ERROR,
            "org.apache.ratis.netty", Level.ERROR);

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null || LogSetup.class.getClassLoader().getResource("logback-test.xml") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n");
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("console");
        console.setEncoder(encoder);
        console.start();
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.toLevel(System.getenv("RUNNEL_LOG_LEVEL"), Level.INFO));
        root.addAppender(console);
        LIBRARY_LEVELS.forEach((name, level) -> context.getLogger(name).setLevel(level));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
