package io.runnel.metadata.controller;

import io.runnel.metadata.BrokerEndpoint;
import io.runnel.metadata.BrokerRegistration;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.controller.ListenerWatch.Target;
import java.io.IOException;
import java.nio.channels.AsynchronousChannelGroup;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notices within milliseconds that a broker process died, where the session timeout
 * ({@code broker.session.timeout.ms}) takes seconds: the active controller keeps a {@link ListenerWatch}
 * (one idle connection) on the first advertised endpoint of every registered, unfenced broker but its
 * own node, and hears of a broker whose listener refuses connections once its watched connection
 * closed. A broker that falls silent (paused, its host down, the network cut) is still the session
 * timeout's to find.
 *
 * <p>Built on the JDK's asynchronous channels rather than Netty, which the build keeps out of this
 * module. Its two threads (one for the watches and their timers, one for I/O) start with the first
 * broker to watch, so a node alone starts none. {@link #watch} and {@link #close} are thread-safe; the
 * listener is called on the detector's thread.
 */
final class DeadBrokerDetector implements AutoCloseable {

    /** Told of a broker process that died. */
    @FunctionalInterface
    interface Listener {
        /** Broker {@code brokerId}, registered with {@code brokerEpoch}, no longer listens on {@code endpoint}. */
        void onDeadBroker(int brokerId, long brokerEpoch, BrokerEndpoint endpoint);
    }

    private static final Logger log = LoggerFactory.getLogger(DeadBrokerDetector.class);

    private final int nodeId;
    private final Listener listener;
    /** Broker id to its watch; on the detector's thread only. */
    private final Map<Integer, ListenerWatch> watches = new HashMap<>();
    /** What the last {@link #watch} asked for, so an image that changes no broker costs no hand-over. */
    private Map<Integer, Target> targets = Map.of();
    private ScheduledExecutorService thread;
    private AsynchronousChannelGroup group;
    private boolean closed;

    /** A detector on the controller of node {@code nodeId}, which it does not watch (its death is the controller's too). */
    DeadBrokerDetector(int nodeId, Listener listener) {
        this.nodeId = nodeId;
        this.listener = listener;
    }

    /** Watches the brokers registered and unfenced in {@code image}, and only those, each at its epoch in it. */
    synchronized void watch(MetadataImage image) {
        Map<Integer, Target> next = targets(image);
        if (closed || next.equals(targets)) {
            return;
        }
        try {
            startThreads();
        } catch (IOException e) {
            log.warn("Cannot watch broker listeners; dead brokers are fenced when their session expires: {}", e.toString());
            return;
        }
        targets = next;
        ScheduledExecutorService watchThread = thread;
        AsynchronousChannelGroup ioGroup = group;
        watchThread.execute(() -> reconcile(next, watchThread, ioGroup));
    }

    private Map<Integer, Target> targets(MetadataImage image) {
        Map<Integer, Target> next = new HashMap<>();
        for (BrokerRegistration broker : image.brokers().values()) {
            if (!broker.fenced() && broker.id() != nodeId && !broker.endpoints().isEmpty()) {
                next.put(broker.id(), new Target(broker.id(), broker.epoch(), broker.endpoints().get(0)));
            }
        }
        return next;
    }

    private void startThreads() throws IOException {
        if (thread == null) {
            group = AsynchronousChannelGroup.withFixedThreadPool(1, daemon("runnel-dead-broker-detector-io-" + nodeId));
            thread = Executors.newSingleThreadScheduledExecutor(daemon("runnel-dead-broker-detector-" + nodeId));
        }
    }

    /** Stops the watches of brokers gone, fenced or back with another epoch, and starts those of brokers new or unfenced. */
    private void reconcile(Map<Integer, Target> next, ScheduledExecutorService watchThread, AsynchronousChannelGroup ioGroup) {
        watches.values().removeIf(watch -> {
            boolean outdated = !watch.target().equals(next.get(watch.target().brokerId()));
            if (outdated) {
                watch.stop();
            }
            return outdated;
        });
        next.forEach((id, target) -> watches.computeIfAbsent(id, ignored -> {
            ListenerWatch watch = new ListenerWatch(target, watchThread, ioGroup, listener);
            watch.start();
            return watch;
        }));
    }

    /** Closes every watched connection and stops the threads. */
    @Override
    public synchronized void close() {
        closed = true;
        if (thread != null) {
            thread.shutdownNow();
            try {
                group.shutdownNow();
            } catch (IOException e) {
                log.debug("Closing the broker watches: {}", e.toString());
            }
        }
    }

    private static ThreadFactory daemon(String name) {
        return runnable -> {
            Thread t = new Thread(runnable, name);
            t.setDaemon(true);
            return t;
        };
    }
}
