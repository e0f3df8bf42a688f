package io.runnel.broker.partition;

import io.runnel.metadata.BrokerEndpoint;
import io.runnel.metadata.BrokerRegistration;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.PartitionRegistration;
import io.runnel.metadata.TopicMetadata;
import io.runnel.metadata.controller.ControllerCommand;
import io.runnel.storage.log.AppendResult;
import io.runnel.storage.log.FetchSlice;
import io.runnel.storage.log.LogManager;
import io.runnel.storage.log.PartitionLog;
import io.runnel.storage.producer.AppendOrigin;
import io.runnel.storage.producer.TxnMarker;
import io.runnel.storage.producer.VerificationGuard;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.errors.BrokerIdNotRegisteredException;
import org.apache.kafka.common.errors.StaleBrokerEpochException;
import org.apache.kafka.common.protocol.Errors;

/**
 * One process of one simulated broker: real {@link PartitionLog}s (a {@link LogManager} over the
 * broker's directory) in real {@link Partition}s, and around them what the broker does, written after
 * the main code it stands for: the registry's reaction to each metadata image
 * ({@code PartitionRegistry.onImage} and {@code changeRole}), the replica fetcher
 * ({@code ReplicaFetcher.handle}), the leader's side of a follower fetch with its long poll
 * ({@code FetchHandler}, {@code FetchReader.readForFollower}), the produce path with acks=all and its
 * purgatory ({@code ProduceHandler.append}), the ISR change sender ({@code IsrChangeSender}, and
 * {@code ClusterMetadata.alterPartitionAsync}, whose answer waits until the broker's own image holds the
 * change), heartbeats and registration ({@code BrokerLifecycle}), the periodic ISR check
 * ({@code BrokerReplication.startIsrChecks}) and the log maintenance (checkpoints, flushes). Every
 * message goes through the {@link SimNetwork}; every action runs on the simulation's one thread through
 * {@link #run}, which drops it once the process is dead and holds it while the process is paused.
 */
final class SimBroker implements ReplicationContext, ReplicaFollowing {

    /** A follower fetch as it goes on the wire (Fetch v15+: replica id and epoch, last fetched epoch). */
    record FetchRequest(int partition, int replicaId, long replicaEpoch, long fetchOffset, int lastFetchedEpoch, int currentLeaderEpoch) { }

    /** The leader's answer to one partition of a follower fetch; the records are a copy of the bytes read, as the wire carries them. */
    record FetchAnswer(Errors error, ByteBuffer records, long highWatermark, long logStartOffset, int divergingEpoch, long divergingEndOffset) {

        static FetchAnswer failed(Errors error) {
            return new FetchAnswer(error, ByteBuffer.allocate(0), -1, -1, -1, -1);
        }

        boolean diverged() {
            return divergingEpoch >= 0 || divergingEndOffset >= 0;
        }
    }

    /** A partition fetched from one leader at one leader epoch ({@code ReplicaFetcher.Followed}). */
    private static final class Followed {
        final Partition partition;
        final int leaderId;
        final int leaderEpoch;
        long requestId;
        boolean inFlight;
        Errors lastError = Errors.NONE;

        Followed(Partition partition, int leaderId, int leaderEpoch) {
            this.partition = partition;
            this.leaderId = leaderId;
            this.leaderEpoch = leaderEpoch;
        }
    }

    /** A follower fetch waiting at the leader for data (long poll). */
    private record ParkedFetch(FetchRequest request, SimBroker follower, Followed followed, long requestId, long deadlineMs) { }

    /** An acks=all produce waiting for replication ({@code ProduceHandler.AwaitedReplication}). */
    private record WaitingProduce(Partition partition, AppendResult appended, int leaderEpoch, SimProducers.Write write, long deadlineMs) {

        long requiredOffset() {
            return appended.lastOffset() + 1;
        }
    }

    /** An ISR change queued or in flight to the controller. */
    private record QueuedChange(Partition partition, IsrProposal proposal) { }

    /** An AlterPartition answer waiting for this broker's image to reach the offset holding it. */
    private record AwaitedAnswer(long requestId, List<QueuedChange> batch, SimController.Outcome outcome, long deadlineMs) { }

    final int id;
    final int incarnation;
    final Path dir;
    final LogManager logManager;
    /** Whether this process started on files that lost their unflushed tail. */
    final boolean lostUnflushed;
    private final ReplicationSimulation sim;
    private final Uuid incarnationId;
    private final TreeMap<Integer, Partition> partitions = new TreeMap<>();
    private final TreeMap<Integer, LogView> views = new TreeMap<>();
    private final TreeMap<Integer, Followed> followed = new TreeMap<>();
    private final List<ParkedFetch> parked = new ArrayList<>();
    private final List<WaitingProduce> waiting = new ArrayList<>();
    private final TreeSet<Integer> fetchWakes = new TreeSet<>();
    private final TreeSet<Integer> produceWakes = new TreeSet<>();
    private final List<QueuedChange> isrQueue = new ArrayList<>();
    private boolean isrInFlight;
    private long isrRequestId;
    private AwaitedAnswer awaitedAnswer;
    private MetadataImage image = MetadataImage.EMPTY;
    private long startedFromEpoch;
    private boolean awaitingRegistration;
    /** The epoch the controller gave this process's registration, -1 until it answered. */
    long registeredEpoch = -1;
    private long registrationId;
    private boolean registering;
    private boolean fenced = true;
    boolean alive = true;
    long pausedUntilMs;
    boolean wantShutDown;

    SimBroker(ReplicationSimulation sim, int id, int incarnation, Path dir, boolean lostUnflushed) throws IOException {
        this.sim = sim;
        this.id = id;
        this.incarnation = incarnation;
        this.dir = dir;
        this.lostUnflushed = lostUnflushed;
        this.incarnationId = new Uuid(sim.random.nextLong(), sim.random.nextLong());
        this.logManager = LogManager.open(List.of(dir), sim.scheduler.clock());
    }

    // ---- process life ----

    /**
     * Starts as {@code Broker.start} does: the partitions of the image this broker had replayed before it
     * stopped are loaded (the registry's {@code load}: logs open, no leadership taken or leader followed
     * until an image holds this process's registration), then it registers and starts its loops.
     */
    void start(MetadataImage persisted) {
        startedFromEpoch = persisted.broker(id).map(BrokerRegistration::epoch).orElse(-1L);
        awaitingRegistration = true;
        run(() -> applyImage(persisted));
        sim.scheduler.after(0, () -> run(this::lifecycleTick));
        sim.scheduler.after(sim.random.nextInt(50), () -> run(this::metadataTick));
        sim.scheduler.after(sim.settings.isrCheckIntervalMs(), () -> run(this::isrCheckTick));
        sim.scheduler.after(sim.settings.checkpointIntervalMs(), () -> run(this::checkpointTick));
        sim.scheduler.after(sim.settings.flushCheckIntervalMs(), () -> run(this::flushTick));
    }

    /**
     * Runs {@code action} as this process: not at all once it is dead, at the end of its pause while it
     * is paused; the partitions it woke (appends, high watermark moves) are served right after, as the
     * purgatories would.
     */
    void run(Runnable action) {
        if (!alive) {
            return;
        }
        if (sim.scheduler.nowMs() < pausedUntilMs) {
            sim.scheduler.at(pausedUntilMs, () -> run(action));
            return;
        }
        action.run();
        drainWakes();
    }

    /** The process stops (kill or after a clean close): nothing of it runs any more. */
    void die() {
        alive = false;
    }

    boolean paused() {
        return sim.scheduler.nowMs() < pausedUntilMs;
    }

    MetadataImage image() {
        return image;
    }

    Map<Integer, Partition> partitions() {
        return partitions;
    }

    LogView view(int partition) {
        return views.get(partition);
    }

    Map<Integer, LogView> views() {
        return views;
    }

    /** The partition, if this process leads it (as {@code PartitionRegistry.partition}). */
    Partition leaderPartition(int partition) {
        Partition p = partitions.get(partition);
        return p != null && p.leader() ? p : null;
    }

    int waitingProduces() {
        return waiting.size();
    }

    // ---- metadata ----

    private void metadataTick() {
        if (sim.network.connected(id, SimNetwork.CONTROLLER)) {
            long latest = sim.controller.offset();
            long applied = image.offset();
            if (latest > applied) {
                long target = sim.random.nextInt(4) > 0 ? latest : applied + 1 + sim.random.nextInt((int) (latest - applied));
                applyImage(sim.controller.imageAt(target));
            }
        }
        sim.scheduler.after(sim.settings.metadataIntervalMs(id), () -> run(this::metadataTick));
    }

    /** Takes a newer image, as {@code PartitionRegistry.onImage}: every partition placed here gets its registration. */
    private void applyImage(MetadataImage next) {
        image = next;
        sim.persistedMetadataOffset[id] = next.offset();
        if (awaitingRegistration && next.broker(id).map(BrokerRegistration::epoch).orElse(-1L) > startedFromEpoch) {
            awaitingRegistration = false;
        }
        Optional<TopicMetadata> topic = next.topic(ReplicationSimulation.TOPIC);
        if (topic.isPresent()) {
            for (int i = 0; i < topic.get().partitionCount(); i++) {
                PartitionRegistration registration = topic.get().partition(i);
                if (registration.hasReplica(id)) {
                    update(topic.get(), i, registration);
                }
            }
        }
        AwaitedAnswer awaited = awaitedAnswer;
        if (awaited != null && image.offset() >= awaited.outcome().offset()) {
            awaitedAnswer = null;
            answerIsrChanges(awaited.batch(), awaited.outcome());
            sendQueuedIsrChanges();
        }
    }

    private void update(TopicMetadata topic, int index, PartitionRegistration registration) {
        Partition partition = partitions.get(index);
        int minIsr = Integer.parseInt(topic.configs().getOrDefault("min.insync.replicas", "1"));
        if (partition == null) {
            TopicPartition topicPartition = new TopicPartition(topic.name(), index);
            PartitionLog log;
            try {
                log = logManager.getOrCreateLog(topicPartition, topic.id(), sim.logConfig, registration.replicas().size() > 1);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            partition = new Partition(topicPartition, topic.id(), log, id, this, registration);
            partitions.put(index, partition);
            views.put(index, new LogView(log));
        }
        if (awaitingRegistration) {
            return;
        }
        try {
            changeRole(partition, registration, minIsr);
        } catch (RuntimeException e) {
            // PartitionRegistry logs this and goes on; here it is a finding
            sim.violation("Partition.update of " + partition.topicPartition() + " on broker " + id + " threw " + e);
        }
    }

    /** As {@code PartitionRegistry.changeRole}. */
    private void changeRole(Partition partition, PartitionRegistration registration, int minIsr) {
        boolean wasLeader = partition.leader();
        int previousEpoch = partition.leaderEpoch();
        boolean leads = partition.update(registration, minIsr);
        if (leads || !registration.hasLeader()) {
            unfollow(partition.topicPartition());
        } else {
            follow(partition, registration.leader(), registration.leaderEpoch());
        }
        if (leads && (!wasLeader || previousEpoch != registration.leaderEpoch())) {
            sim.trace("b" + id + " leads p" + partition.topicPartition().partition() + " at epoch " + registration.leaderEpoch() + " isr "
                    + registration.isr() + " log end " + partition.log().logEndOffset() + " hw " + partition.log().highWatermark());
        }
        if (wasLeader && (!leads || previousEpoch != registration.leaderEpoch())) {
            onHighWatermarkMoved(partition.topicPartition());
        }
    }

    // ---- registration and heartbeats (BrokerLifecycle) ----

    /**
     * As {@code BrokerLifecycle.beatAndReschedule}: registers while it has no epoch, else heartbeats; soon
     * again while fenced, every heartbeat interval once unfenced. A heartbeat the controller answers with
     * STALE_BROKER_EPOCH or BROKER_ID_NOT_REGISTERED makes it register again.
     */
    private void lifecycleTick() {
        if (registeredEpoch < 0) {
            register();
        } else {
            heartbeat();
        }
        sim.scheduler.after(fenced ? Math.min(sim.settings.heartbeatIntervalMs(), 100) : sim.settings.heartbeatIntervalMs(),
                () -> run(this::lifecycleTick));
    }

    private void register() {
        if (registering) {
            return;
        }
        registering = true;
        long request = ++registrationId;
        ControllerCommand.RegisterBroker command = new ControllerCommand.RegisterBroker(id, incarnationId, sim.directoryIds[id],
                SimController.CLUSTER_ID, List.of(new BrokerEndpoint("PLAINTEXT", "broker" + id, 9092)), null);
        sim.network.send(id, SimNetwork.CONTROLLER, () -> {
            SimController.Outcome outcome = sim.controller.handle(command);
            sim.network.send(SimNetwork.CONTROLLER, id, () -> run(() -> {
                if (request == registrationId && registering) {
                    registering = false;
                    if (outcome.error() == null) {
                        registeredEpoch = (Long) outcome.reply();
                        fenced = true;
                        sim.trace("b" + id + " registered with epoch " + registeredEpoch);
                    }
                }
            }));
        });
        // the controller channel's timeout: the registration is sent again
        sim.scheduler.after(sim.settings.requestTimeoutMs(), () -> run(() -> {
            if (request == registrationId && registering) {
                registering = false;
            }
        }));
    }

    private void heartbeat() {
        long epoch = registeredEpoch;
        ControllerCommand.BrokerHeartbeat heartbeat = new ControllerCommand.BrokerHeartbeat(id, epoch, image.offset(), wantShutDown);
        sim.network.send(id, SimNetwork.CONTROLLER, () -> {
            SimController.Outcome outcome = sim.controller.handle(heartbeat);
            sim.network.send(SimNetwork.CONTROLLER, id, () -> run(() -> {
                if (epoch != registeredEpoch) {
                    return;
                }
                if (outcome.error() instanceof StaleBrokerEpochException || outcome.error() instanceof BrokerIdNotRegisteredException) {
                    sim.trace("b" + id + " heartbeat at epoch " + epoch + " refused: " + outcome.error().getClass().getSimpleName() + "; registers again");
                    registeredEpoch = -1;
                    fenced = true;
                } else if (outcome.reply() instanceof ControllerCommand.HeartbeatReply reply) {
                    fenced = reply.fenced();
                    if (reply.shouldShutDown() && wantShutDown) {
                        sim.shutDownCleanly(this);
                    }
                }
            }));
        });
    }

    // ---- periodic work ----

    private void isrCheckTick() {
        for (Partition partition : List.copyOf(partitions.values())) {
            if (partition.leader()) {
                partition.maybeShrinkIsr();
            }
        }
        sim.scheduler.after(sim.settings.isrCheckIntervalMs(), () -> run(this::isrCheckTick));
    }

    private void checkpointTick() {
        logManager.checkpoint();
        sim.scheduler.after(sim.settings.checkpointIntervalMs(), () -> run(this::checkpointTick));
    }

    private void flushTick() {
        for (Partition partition : partitions.values()) {
            partition.log().flushIfDue();
        }
        sim.scheduler.after(sim.settings.flushCheckIntervalMs(), () -> run(this::flushTick));
    }

    // ---- follower side ----

    @Override
    public void follow(Partition partition, int leaderId, int leaderEpoch) {
        int index = partition.topicPartition().partition();
        Followed current = followed.get(index);
        if (current != null && current.leaderId == leaderId && current.leaderEpoch == leaderEpoch) {
            return;
        }
        Followed next = new Followed(partition, leaderId, leaderEpoch);
        followed.put(index, next);
        sim.scheduler.after(0, () -> run(() -> fetch(next)));
    }

    @Override
    public void unfollow(TopicPartition partition) {
        followed.remove(partition.partition());
    }

    private void fetch(Followed f) {
        int index = f.partition.topicPartition().partition();
        if (followed.get(index) != f || f.inFlight) {
            return;
        }
        PartitionLog log = f.partition.log();
        FetchRequest request = new FetchRequest(index, id, localBrokerEpoch(), log.logEndOffset(), log.latestEpoch(), f.leaderEpoch);
        long requestId = ++f.requestId;
        f.inFlight = true;
        sim.stats.fetches++;
        sim.network.send(id, f.leaderId, () -> sim.deliver(f.leaderId, leader -> leader.serveFetch(request, this, f, requestId)));
        sim.scheduler.after(sim.settings.socketTimeoutMs(), () -> run(() -> {
            if (f.inFlight && f.requestId == requestId) {
                // the fetcher's socket timed out: reconnect after a back-off
                f.inFlight = false;
                sim.scheduler.after(sim.settings.fetchBackoffMs(), () -> run(() -> fetch(f)));
            }
        }));
    }

    /** A fetch answer arrives (as {@code ReplicaFetcher.handle}, for a partition still fetched from there at that epoch). */
    private void onFetchAnswer(Followed f, long requestId, FetchAnswer answer) {
        if (!f.inFlight || f.requestId != requestId) {
            return;
        }
        f.inFlight = false;
        int index = f.partition.topicPartition().partition();
        if (followed.get(index) != f) {
            return;
        }
        if (sim.settings.handlerInterleaving() && sim.random.nextInt(10) == 0) {
            // the fetcher thread is descheduled between its check and the append; the metadata thread may run meanwhile
            sim.scheduler.after(1 + sim.random.nextInt(sim.settings.metadataIntervalMs(id) + 5), () -> run(() -> applyFetchAnswer(f, answer)));
            return;
        }
        applyFetchAnswer(f, answer);
    }

    private void applyFetchAnswer(Followed f, FetchAnswer answer) {
        int index = f.partition.topicPartition().partition();
        Partition partition = f.partition;
        long delay = 0;
        if (answer.error() != Errors.NONE) {
            if (answer.error() != f.lastError) {
                sim.trace("b" + id + " p" + index + " fetch from b" + f.leaderId + " at epoch " + f.leaderEpoch + " answered " + answer.error());
            }
            f.lastError = answer.error();
            delay = sim.settings.fetchBackoffMs();
        } else {
            f.lastError = Errors.NONE;
            try {
                if (answer.diverged()) {
                    long before = partition.log().logEndOffset();
                    long end = partition.truncateOnDivergence(f.leaderEpoch, answer.divergingEpoch(), answer.divergingEndOffset());
                    views.get(index).cutTo(end);
                    if (end >= before) {
                        sim.trace("b" + id + " p" + index + " told it diverged (epoch " + answer.divergingEpoch() + " ends at "
                                + answer.divergingEndOffset() + ") by b" + f.leaderId + " e" + f.leaderEpoch + " but stays at " + end);
                    } else {
                        sim.stats.truncations++;
                        sim.trace("b" + id + " p" + index + " truncated " + before + " -> " + end + " (leader b" + f.leaderId + " e" + f.leaderEpoch
                                + " says epoch " + answer.divergingEpoch() + " ends at " + answer.divergingEndOffset() + ")");
                    }
                } else {
                    if (!partition.appendFromLeader(f.leaderEpoch, answer.records(), answer.highWatermark(), answer.logStartOffset())) {
                        sim.trace("b" + id + " p" + index + " dropped the answer of b" + f.leaderId + " at epoch " + f.leaderEpoch
                                + ": the partition moved on meanwhile");
                    }
                }
            } catch (ApiException | IllegalArgumentException e) {
                sim.stats.fetchApplyErrors++;
                sim.trace("b" + id + " p" + index + " cannot apply fetch from b" + f.leaderId + ": " + e);
                delay = sim.settings.fetchBackoffMs();
            }
        }
        sim.scheduler.after(delay, () -> run(() -> fetch(f)));
    }

    // ---- leader side of follower fetches ----

    private void serveFetch(FetchRequest request, SimBroker follower, Followed f, long requestId) {
        FetchAnswer answer = readForFollower(request);
        if (answer.error() != Errors.NONE || answer.diverged() || answer.records().hasRemaining()) {
            answerFetch(follower, f, requestId, answer);
            return;
        }
        ParkedFetch waiting = new ParkedFetch(request, follower, f, requestId, sim.scheduler.nowMs() + sim.settings.fetchMaxWaitMs());
        parked.add(waiting);
        sim.scheduler.at(waiting.deadlineMs(), () -> run(() -> {
            if (parked.remove(waiting)) {
                answerFetch(follower, f, requestId, readForFollower(request));
            }
        }));
    }

    /** As {@code FetchReader.readPartition} for a follower: leadership, the leader epoch the follower names, then the partition's read. */
    private FetchAnswer readForFollower(FetchRequest request) {
        Partition partition = leaderPartition(request.partition());
        if (partition == null) {
            return FetchAnswer.failed(Errors.NOT_LEADER_OR_FOLLOWER);
        }
        Errors epochError = partition.checkLeaderEpoch(request.currentLeaderEpoch());
        if (epochError != Errors.NONE) {
            return FetchAnswer.failed(epochError);
        }
        try {
            ReplicaRead read = partition.readForFollower(request.replicaId(), request.replicaEpoch(), request.fetchOffset(), request.lastFetchedEpoch(),
                    sim.settings.fetchMaxBytes(), true);
            if (read.error() != Errors.NONE) {
                return FetchAnswer.failed(read.error());
            }
            return new FetchAnswer(Errors.NONE, read.diverged() ? ByteBuffer.allocate(0) : copy(read.records()), read.highWatermark(),
                    read.logStartOffset(), read.divergingEpoch(), read.divergingEndOffset());
        } catch (ApiException e) {
            return FetchAnswer.failed(Errors.forException(e));
        }
    }

    private void answerFetch(SimBroker follower, Followed f, long requestId, FetchAnswer answer) {
        sim.network.send(id, follower.id, () -> follower.run(() -> follower.onFetchAnswer(f, requestId, answer)));
    }

    /** The bytes of a slice, read now, as they would be written to the follower's socket. */
    private static ByteBuffer copy(FetchSlice slice) {
        ByteBuffer buffer = ByteBuffer.allocate(slice.size());
        if (slice.isEmpty()) {
            return buffer;
        }
        try {
            while (buffer.hasRemaining()) {
                if (slice.channel().read(buffer, slice.position() + buffer.position()) < 0) {
                    break;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.flip();
    }

    // ---- produce ----

    /** A producer's acks=all write arrives (as {@code ProduceHandler}: the leader looked up, its epoch read, then the append). */
    void serveProduce(SimProducers.Write write) {
        Partition partition = leaderPartition(write.partition());
        if (partition == null) {
            sim.stats.produceNotLeader++;
            if (write.marker()) {
                sim.onMarkerRefused(write);
            }
            return;
        }
        int leaderEpoch = partition.leaderEpoch();
        if (sim.settings.handlerInterleaving() && sim.random.nextInt(10) == 0) {
            // the request thread is descheduled between the lookup and the append; the metadata thread may run meanwhile
            sim.scheduler.after(1 + sim.random.nextInt(sim.settings.metadataIntervalMs(id) + 5), () -> run(() -> append(partition, leaderEpoch, write)));
            return;
        }
        append(partition, leaderEpoch, write);
    }

    private void append(Partition partition, int leaderEpoch, SimProducers.Write write) {
        AppendResult appended;
        try {
            // a marker as TxnMarkerWriter appends it
            appended = write.marker()
                    ? partition.appendAsLeader(write.batch(), true, AppendOrigin.COORDINATOR, VerificationGuard.NONE,
                            TxnMarker.UNKNOWN_TRANSACTION_VERSION)
                    : partition.appendAsLeader(write.batch(), true);
        } catch (ApiException e) {
            sim.stats.produceRefused.merge(e.getClass().getSimpleName(), 1, Integer::sum);
            if (write.marker()) {
                sim.onMarkerRefused(write);
            }
            return;
        }
        sim.onLeaderAppend(this, partition, leaderEpoch, appended, write);
        long requiredOffset = appended.lastOffset() + 1;
        Optional<Errors> error = partition.replicationError(requiredOffset, leaderEpoch);
        if (error.isPresent() && error.get() == Errors.NONE) {
            sim.onAcknowledged(this, partition, appended, write);
            return;
        }
        WaitingProduce produce = new WaitingProduce(partition, appended, leaderEpoch, write, sim.scheduler.nowMs() + sim.settings.produceTimeoutMs());
        waiting.add(produce);
        sim.scheduler.at(produce.deadlineMs(), () -> run(() -> {
            if (waiting.remove(produce)) {
                // ProduceHandler: at the request's timeout, whatever replicationError says, else REQUEST_TIMED_OUT
                completeProduce(produce, partition.replicationError(requiredOffset, leaderEpoch).orElse(Errors.REQUEST_TIMED_OUT));
            }
        }));
    }

    private void completeProduce(WaitingProduce produce, Errors error) {
        if (error == Errors.NONE) {
            sim.onAcknowledged(this, produce.partition(), produce.appended(), produce.write());
        } else {
            sim.stats.produceFailed.merge(error.name(), 1, Integer::sum);
        }
    }

    // ---- wakes (the purgatories) ----

    private void drainWakes() {
        while (alive && (!fetchWakes.isEmpty() || !produceWakes.isEmpty())) {
            if (!produceWakes.isEmpty()) {
                int index = produceWakes.pollFirst();
                for (Iterator<WaitingProduce> it = waiting.iterator(); it.hasNext(); ) {
                    WaitingProduce produce = it.next();
                    if (produce.partition().topicPartition().partition() != index) {
                        continue;
                    }
                    Optional<Errors> error = produce.partition().replicationError(produce.requiredOffset(), produce.leaderEpoch());
                    if (error.isPresent()) {
                        it.remove();
                        completeProduce(produce, error.get());
                    }
                }
                continue;
            }
            int index = fetchWakes.pollFirst();
            for (ParkedFetch fetch : List.copyOf(parked)) {
                if (fetch.request().partition() == index && hasNewDataOrError(fetch.request()) && parked.remove(fetch)) {
                    answerFetch(fetch.follower(), fetch.followed(), fetch.requestId(), readForFollower(fetch.request()));
                }
            }
        }
    }

    /** As {@code FetchReader.hasNewDataOrError} for a follower: not the leader any more, or the log grew past the fetch offset. */
    private boolean hasNewDataOrError(FetchRequest request) {
        Partition partition = leaderPartition(request.partition());
        return partition == null || partition.log().logEndOffset() > request.fetchOffset();
    }

    // ---- ISR changes (IsrChangeSender) ----

    @Override
    public void proposeIsrChange(Partition partition, IsrProposal proposal) {
        sim.stats.isrProposals++;
        sim.trace("b" + id + " p" + partition.topicPartition().partition() + " proposes isr " + proposal.brokerIds() + " at leader epoch "
                + proposal.leaderEpoch() + " partition epoch " + proposal.partitionEpoch());
        isrQueue.add(new QueuedChange(partition, proposal));
        if (isrInFlight) {
            return;
        }
        isrInFlight = true;
        sendQueuedIsrChanges();
    }

    private void sendQueuedIsrChanges() {
        if (isrQueue.isEmpty()) {
            isrInFlight = false;
            return;
        }
        List<QueuedChange> batch = new ArrayList<>(isrQueue);
        isrQueue.clear();
        List<ControllerCommand.IsrChange> changes = new ArrayList<>();
        for (QueuedChange queued : batch) {
            IsrProposal proposal = queued.proposal();
            changes.add(new ControllerCommand.IsrChange(proposal.topicId(), proposal.partition(), proposal.leaderEpoch(), proposal.partitionEpoch(),
                    proposal.newIsr().stream().map(m -> new ControllerCommand.IsrMember(m.brokerId(), m.brokerEpoch())).toList()));
        }
        ControllerCommand.AlterPartition command = new ControllerCommand.AlterPartition(id, localBrokerEpoch(), changes);
        long requestId = ++isrRequestId;
        sim.network.send(id, SimNetwork.CONTROLLER, () -> {
            SimController.Outcome outcome = sim.controller.handle(command);
            sim.traceIsrOutcome(id, outcome);
            sim.network.send(SimNetwork.CONTROLLER, id, () -> run(() -> onAlterPartitionAnswer(requestId, batch, outcome)));
        });
        sim.scheduler.after(sim.settings.requestTimeoutMs(), () -> run(() -> {
            if (isrRequestId == requestId && awaitedAnswer == null) {
                timeOutIsrChanges(requestId, batch);
            }
        }));
    }

    private void onAlterPartitionAnswer(long requestId, List<QueuedChange> batch, SimController.Outcome outcome) {
        if (isrRequestId != requestId || !isrInFlight || awaitedAnswer != null) {
            return;
        }
        // A later request id marks this one answered (or timed out) for good.
        isrRequestId++;
        if (outcome.error() != null || outcome.offset() < 0 || image.offset() >= outcome.offset()) {
            answerIsrChanges(batch, outcome);
            sendQueuedIsrChanges();
            return;
        }
        // ClusterMetadata.alterPartitionAsync completes once this broker's image holds the change, or times out
        AwaitedAnswer awaited = new AwaitedAnswer(isrRequestId, batch, outcome, sim.scheduler.nowMs() + sim.settings.requestTimeoutMs());
        awaitedAnswer = awaited;
        sim.scheduler.at(awaited.deadlineMs(), () -> run(() -> {
            if (awaitedAnswer == awaited) {
                awaitedAnswer = null;
                timeOutIsrChanges(-1, batch);
            }
        }));
    }

    private void timeOutIsrChanges(long requestId, List<QueuedChange> batch) {
        if (requestId >= 0) {
            isrRequestId++;
        }
        sim.stats.isrTimeouts++;
        sim.trace("b" + id + " AlterPartition timed out for " + batch.size() + " change(s)");
        for (QueuedChange queued : batch) {
            queued.partition().onIsrChangeRefused(queued.proposal(), Errors.REQUEST_TIMED_OUT);
        }
        sendQueuedIsrChanges();
    }

    /** As {@code IsrChangeSender.answer}. */
    private void answerIsrChanges(List<QueuedChange> batch, SimController.Outcome outcome) {
        if (outcome.error() != null) {
            Errors error = Errors.forException(outcome.error());
            for (QueuedChange queued : batch) {
                queued.partition().onIsrChangeRefused(queued.proposal(), error);
            }
            return;
        }
        List<?> results = (List<?>) outcome.reply();
        for (int i = 0; i < batch.size(); i++) {
            QueuedChange queued = batch.get(i);
            ControllerCommand.IsrChangeResult result = (ControllerCommand.IsrChangeResult) results.get(i);
            Errors error = Errors.forCode(result.errorCode());
            if (error == Errors.NONE && result.registration() != null) {
                queued.partition().onIsrChangeCommitted(queued.proposal(), result.registration());
            } else {
                queued.partition().onIsrChangeRefused(queued.proposal(), error);
            }
        }
    }

    // ---- ReplicationContext ----

    @Override
    public long nowMs() {
        return sim.scheduler.nowMs();
    }

    @Override
    public long replicaLagTimeMaxMs() {
        return sim.settings.replicaLagTimeMaxMs();
    }

    /** As {@code BrokerReplication.isIsrEligible}: from this broker's own image. */
    @Override
    public boolean isIsrEligible(int brokerId, long brokerEpoch) {
        BrokerRegistration broker = image.brokers().get(brokerId);
        return broker != null && broker.isActive() && (brokerEpoch < 0 || broker.epoch() == brokerEpoch);
    }

    /** As {@code BrokerReplication.localBrokerEpoch}: from this broker's own image. */
    @Override
    public long localBrokerEpoch() {
        BrokerRegistration self = image.brokers().get(id);
        return self == null ? -1 : self.epoch();
    }

    @Override
    public void onLeaderLogAppended(TopicPartition partition) {
        fetchWakes.add(partition.partition());
    }

    @Override
    public void onHighWatermarkMoved(TopicPartition partition) {
        fetchWakes.add(partition.partition());
        produceWakes.add(partition.partition());
    }

    @Override
    public String toString() {
        return "b" + id + "#" + incarnation;
    }
}
