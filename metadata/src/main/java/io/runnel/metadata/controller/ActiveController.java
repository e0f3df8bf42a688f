package io.runnel.metadata.controller;

import io.runnel.metadata.BrokerEndpoint;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.MetadataPublisher;
import io.runnel.metadata.MetadataRecord;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.NotControllerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller while this node is the active one: one thread takes commands in turn, lets the
 * {@link ClusterController} decide each, appends the records and waits until they are committed and
 * replayed before it answers and takes the next, so every decision sees every earlier one. The same
 * thread fences brokers whose session expired, and at once those a {@link DeadBrokerDetector} finds dead,
 * and, with {@code auto.leader.rebalance.enable}, moves leadership back to preferred replicas every
 * {@code leader.imbalance.check.interval.seconds}. Built when the node becomes active (a node alone: at
 * start; a quorum voter: once it leads and has applied an entry of its term) and closed when it stops
 * being active. {@link #submit} is thread-safe.
 */
public final class ActiveController implements ControllerChannel, AutoCloseable {

    /** Appends a batch of records to the metadata log; completes with its offset once committed and replayed here. */
    @FunctionalInterface
    public interface Appender {
        CompletableFuture<Long> append(List<MetadataRecord> records);
    }

    private static final Logger log = LoggerFactory.getLogger(ActiveController.class);

    private final MetadataPublisher committed;
    private final Appender appender;
    private final LongSupplier clock;
    private final long appendTimeoutMs;
    private final ScheduledExecutorService thread;
    private final ClusterController controller;
    private final DeadBrokerDetector deadBrokers;
    private final java.util.Set<CompletableFuture<Committed>> pending = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /**
     * Starts the controller of node {@code nodeId} (whose own broker, if it runs one, it does not watch
     * for death: they die together) over the committed metadata of {@code committed}; if the log has no
     * cluster id yet, it first records {@code proposedClusterId}. {@code config} holds this node's static
     * broker configs the controller falls back to.
     */
    public ActiveController(int nodeId, MetadataPublisher committed, Appender appender, LongSupplier clock, long sessionTimeoutMs,
                            long appendTimeoutMs, String proposedClusterId, ControllerConfig config) {
        this.committed = committed;
        this.appender = appender;
        this.clock = clock;
        this.appendTimeoutMs = appendTimeoutMs;
        this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread t = new Thread(runnable, "runnel-controller");
            t.setDaemon(true);
            return t;
        });
        this.controller = new ClusterController(committed.image(), sessionTimeoutMs, config, new SecureRandom(), clock.getAsLong());
        this.deadBrokers = new DeadBrokerDetector(nodeId, this::fenceDeadBroker);
        thread.execute(() -> appendQuietly(controller.bootstrap(proposedClusterId), "recording the cluster id"));
        long checkEveryMs = Math.max(50, sessionTimeoutMs / 4);
        thread.scheduleWithFixedDelay(() -> appendQuietly(controller.fenceExpiredBrokers(clock.getAsLong()), "fencing brokers"),
                checkEveryMs, checkEveryMs, TimeUnit.MILLISECONDS);
        if (config.autoLeaderRebalanceEnable()) {
            long balanceEveryMs = Math.max(1, config.leaderImbalanceCheckIntervalMs());
            thread.scheduleWithFixedDelay(this::balanceLeaders, balanceEveryMs, balanceEveryMs, TimeUnit.MILLISECONDS);
        }
    }

    /** One pass of leader rebalancing; a pass that stopped at its bound is followed by another at once. */
    private void balanceLeaders() {
        try {
            replayCommitted();
            ControllerResult result = controller.balanceLeaders();
            append(result.records());
            if (Boolean.TRUE.equals(result.reply())) {
                thread.execute(this::balanceLeaders);
            }
        } catch (RuntimeException e) {
            log.warn("Controller could not append while balancing leaders: {}", e.toString());
        }
    }

    /** Queues a command; the future completes once its records are committed (see {@link ControllerChannel#send}). */
    public CompletableFuture<Committed> submit(ControllerCommand command) {
        CompletableFuture<Committed> reply = new CompletableFuture<>();
        pending.add(reply);
        reply.whenComplete((committed, error) -> pending.remove(reply));
        try {
            thread.execute(() -> decide(command, reply));
        } catch (RejectedExecutionException e) {
            reply.completeExceptionally(new NotControllerException("This node is no longer the active controller."));
        }
        return reply;
    }

    @Override
    public CompletableFuture<Committed> send(ControllerCommand command) {
        return submit(command);
    }

    private void decide(ControllerCommand command, CompletableFuture<Committed> reply) {
        ControllerResult result;
        try {
            replayCommitted();
            result = controller.handle(command, clock.getAsLong());
        } catch (ApiException e) {
            reply.completeExceptionally(e);
            return;
        } catch (RuntimeException e) {
            log.error("Controller failed on {}", command.getClass().getSimpleName(), e);
            reply.completeExceptionally(e);
            return;
        }
        try {
            long offset = append(result.records());
            reply.complete(new Committed(result.reply(), offset));
        } catch (ApiException e) {
            reply.completeExceptionally(e);
        }
    }

    private void appendQuietly(List<MetadataRecord> records, String what) {
        try {
            replayCommitted();
            append(records);
        } catch (RuntimeException e) {
            log.warn("Controller could not append while {}: {}", what, e.toString());
        }
    }

    /** Fences a broker whose process the detector found dead, on the controller thread like every decision. */
    private void fenceDeadBroker(int brokerId, long brokerEpoch, BrokerEndpoint endpoint) {
        try {
            thread.execute(() -> {
                try {
                    replayCommitted();
                    if (append(controller.fenceDeadBroker(brokerId, brokerEpoch)) >= 0) {
                        log.info("Fenced broker {} (epoch {}) without waiting for its session to expire: its listener {} at {}:{} refuses connections",
                                brokerId, brokerEpoch, endpoint.listener(), endpoint.host(), endpoint.port());
                    }
                } catch (RuntimeException e) {
                    log.warn("Controller could not append while fencing dead broker {}: {}", brokerId, e.toString());
                }
            });
        } catch (RejectedExecutionException e) {
            // no longer the active controller
        }
    }

    /** Takes the newest committed image, and watches the brokers it holds. */
    private void replayCommitted() {
        MetadataImage image = committed.image();
        controller.replay(image);
        deadBrokers.watch(image);
    }

    /** Appends and waits until the records are committed and replayed; -1 for no records. */
    private long append(List<MetadataRecord> records) {
        if (records.isEmpty()) {
            return -1;
        }
        try {
            long offset = appender.append(records).get(appendTimeoutMs, TimeUnit.MILLISECONDS);
            replayCommitted();
            return offset;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotControllerException("The controller stopped while appending.");
        } catch (ExecutionException | TimeoutException e) {
            throw new NotControllerException("The controller could not commit its records: " + e.getMessage());
        }
    }

    /** Stops taking commands; those still queued fail with NOT_CONTROLLER. */
    @Override
    public void close() {
        thread.shutdownNow();
        deadBrokers.close();
        pending.forEach(reply -> reply.completeExceptionally(new NotControllerException("This node is no longer the active controller.")));
    }
}
