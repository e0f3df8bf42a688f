package io.runnel.cli;

import java.lang.reflect.Proxy;
import java.util.concurrent.CountDownLatch;

/**
 * Turns SIGTERM and SIGINT into a stop request the main thread waits for, so the broker (or a consumer) is closed on
 * the main thread and the process exits 0. A shutdown hook could not do that: it runs inside an exit
 * already fixed at status 143. The JDK's only API for signals is {@code sun.misc.Signal} (module
 * {@code jdk.unsupported}); it is reached reflectively so the build stays free of warnings. If a JDK
 * lacks it, a shutdown hook asks for the stop and waits until the broker is closed, so the stop is
 * still clean, with the JVM's exit status. Installed once, from the main thread.
 */
final class StopSignals {

    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch closed = new CountDownLatch(1);
    private volatile Runnable onStop = () -> { };

    private StopSignals() {
    }

    /** Starts listening for SIGTERM and SIGINT. */
    static StopSignals install() {
        StopSignals signals = new StopSignals();
        try {
            signals.handleSignals("TERM", "INT");
        } catch (ReflectiveOperationException | RuntimeException e) {
            Runtime.getRuntime().addShutdownHook(new Thread(signals::stopAndWaitUntilClosed, "runnel-stop"));
        }
        return signals;
    }

    /** Also runs {@code action} when a stop is requested (on the thread that delivers the signal). */
    StopSignals onStop(Runnable action) {
        onStop = action;
        return this;
    }

    /** Blocks until a stop is requested. */
    void awaitStop() throws InterruptedException {
        stopRequested.await();
    }

    /** Tells a waiting shutdown hook that the broker has closed. */
    void closed() {
        closed.countDown();
    }

    private void handleSignals(String... names) throws ReflectiveOperationException {
        Class<?> signalClass = Class.forName("sun.misc.Signal");
        Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
        Object handler = Proxy.newProxyInstance(StopSignals.class.getClassLoader(), new Class<?>[] {handlerClass},
                (proxy, method, args) -> switch (method.getName()) {
                    case "handle" -> {
                        requestStop();
                        yield null;
                    }
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> "runnel-stop-signal-handler";
                });
        for (String name : names) {
            Object signal = signalClass.getConstructor(String.class).newInstance(name);
            signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, signal, handler);
        }
    }

    private void requestStop() {
        stopRequested.countDown();
        onStop.run();
    }

    private void stopAndWaitUntilClosed() {
        requestStop();
        try {
            closed.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
