package io.runnel.metadata.node;

import io.runnel.metadata.BrokerEndpoint;
import io.runnel.metadata.MetadataPublisher;
import io.runnel.metadata.controller.Committed;
import io.runnel.metadata.controller.ControllerChannel;
import io.runnel.metadata.controller.ControllerCommand;
import io.runnel.metadata.controller.ControllerCommand.HeartbeatReply;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.BrokerIdNotRegisteredException;
import org.apache.kafka.common.errors.DuplicateBrokerRegistrationException;
import org.apache.kafka.common.errors.InconsistentClusterIdException;
import org.apache.kafka.common.errors.StaleBrokerEpochException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A broker's membership, as KRaft brokers keep it: it registers with the active controller (and again
 * whenever the controller no longer knows its epoch), heartbeats every {@code broker.heartbeat.interval.ms}
 * with how far it has replayed the metadata log, is unfenced once it has caught up, and on shutdown
 * asks to shut down until the controller has moved its leaderships. One thread of its own does all of
 * this; the public methods may be called from any thread.
 */
public final class BrokerLifecycle implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(BrokerLifecycle.class);
    private static final long CATCH_UP_BEAT_MS = 100;

    /**
     * Who registers: identity, endpoints and rack, and the broker epoch the previous process had when it
     * shut down cleanly ({@link ControllerCommand.RegisterBroker#UNKNOWN_PREVIOUS_EPOCH} if it did not, or is not known).
     */
    public record Registration(int brokerId, Uuid incarnationId, Uuid directoryId, String clusterId, List<BrokerEndpoint> endpoints,
                               String rack, long previousBrokerEpoch) {

        /** A registration whose previous clean shutdown is not known: its partitions take it as unclean. */
        public Registration(int brokerId, Uuid incarnationId, Uuid directoryId, String clusterId, List<BrokerEndpoint> endpoints, String rack) {
            this(brokerId, incarnationId, directoryId, clusterId, endpoints, rack, ControllerCommand.RegisterBroker.UNKNOWN_PREVIOUS_EPOCH);
        }
    }

    private final Registration registration;
    private final MetadataPublisher publisher;
    private final ControllerChannel controller;
    private final long heartbeatIntervalMs;
    private final ScheduledExecutorService thread;
    private final CompletableFuture<Void> unfenced = new CompletableFuture<>();
    private volatile long brokerEpoch = -1;
    private volatile boolean fenced = true;
    private volatile boolean wantShutDown;

    public BrokerLifecycle(Registration registration, MetadataPublisher publisher, ControllerChannel controller, long heartbeatIntervalMs) {
        this.registration = registration;
        this.publisher = publisher;
        this.controller = controller;
        this.heartbeatIntervalMs = heartbeatIntervalMs;
        this.thread = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread t = new Thread(runnable, "runnel-broker-lifecycle");
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Registers and starts heartbeating. The future completes once the broker is unfenced; it fails at
     * once if the controller refuses the broker for good (another live broker has its node id, or the
     * cluster id differs), and after {@code timeoutMs} if no controller took the registration.
     */
    public CompletableFuture<Void> start(long timeoutMs) {
        thread.execute(this::beatAndReschedule);
        thread.schedule(() -> unfenced.completeExceptionally(new org.apache.kafka.common.errors.TimeoutException(
                "Broker " + registration.brokerId() + " was not registered and unfenced within " + timeoutMs + " ms")), timeoutMs, TimeUnit.MILLISECONDS);
        return unfenced;
    }

    /** The epoch of the current registration, or -1 before the first. */
    public long brokerEpoch() {
        return brokerEpoch;
    }

    /** True while the controller keeps this broker fenced. */
    public boolean isFenced() {
        return fenced;
    }

    /**
     * One heartbeat, then the next: every {@code broker.heartbeat.interval.ms} once unfenced, but soon
     * while the broker is still registering or catching up, as Kafka's brokers do, so a starting broker
     * is unfenced as soon as it has caught up rather than a few intervals later.
     */
    private void beatAndReschedule() {
        beat();
        try {
            thread.schedule(this::beatAndReschedule, fenced ? Math.min(heartbeatIntervalMs, CATCH_UP_BEAT_MS) : heartbeatIntervalMs,
                    TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // closed
        }
    }

    private void beat() {
        try {
            if (brokerEpoch < 0) {
                register();
            }
            if (brokerEpoch >= 0) {
                heartbeat();
            }
        } catch (InconsistentClusterIdException | DuplicateBrokerRegistrationException e) {
            unfenced.completeExceptionally(e);
        } catch (StaleBrokerEpochException | BrokerIdNotRegisteredException e) {
            log.info("The controller no longer knows broker {} at epoch {}: registering again", registration.brokerId(), brokerEpoch);
            brokerEpoch = -1;
        } catch (ApiException e) {
            log.debug("Heartbeat of broker {} failed: {}", registration.brokerId(), e.toString());
        } catch (RuntimeException e) {
            log.warn("Heartbeat of broker {} failed", registration.brokerId(), e);
        }
    }

    private void register() {
        Committed committed = await(controller.send(new ControllerCommand.RegisterBroker(registration.brokerId(), registration.incarnationId(),
                registration.directoryId(), registration.clusterId(), registration.endpoints(), registration.rack(),
                registration.previousBrokerEpoch())));
        brokerEpoch = (Long) committed.reply();
        log.info("Registered broker {} with epoch {}", registration.brokerId(), brokerEpoch);
    }

    private HeartbeatReply heartbeat() {
        Committed committed = await(controller.send(new ControllerCommand.BrokerHeartbeat(registration.brokerId(), brokerEpoch,
                publisher.image().offset(), wantShutDown)));
        HeartbeatReply reply = (HeartbeatReply) committed.reply();
        boolean wasFenced = fenced;
        fenced = reply.fenced();
        if (wasFenced && !fenced) {
            log.info("Broker {} is unfenced", registration.brokerId());
            unfenced.complete(null);
        }
        return reply;
    }

    /**
     * Controlled shutdown: heartbeats asking to shut down until the controller says the broker leads
     * nothing more, or {@code timeoutMs} passes. Returns true if the controller agreed.
     */
    public boolean controlledShutdown(long timeoutMs) {
        wantShutDown = true;
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline && brokerEpoch >= 0) {
            try {
                HeartbeatReply reply = thread.submit(this::heartbeat).get(timeoutMs, TimeUnit.MILLISECONDS);
                if (reply.shouldShutDown()) {
                    return true;
                }
                Thread.sleep(Math.min(heartbeatIntervalMs, 100));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            } catch (ExecutionException | java.util.concurrent.TimeoutException | java.util.concurrent.RejectedExecutionException e) {
                log.warn("Controlled shutdown of broker {}: {}", registration.brokerId(), e.toString());
                return false;
            }
        }
        return false;
    }

    private static Committed await(CompletableFuture<Committed> reply) {
        try {
            return reply.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new org.apache.kafka.common.errors.InterruptException(e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** Stops heartbeating; the controller fences the broker once its session expires. */
    @Override
    public void close() {
        thread.shutdownNow();
    }
}
