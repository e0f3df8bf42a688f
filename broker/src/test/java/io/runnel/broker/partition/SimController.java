package io.runnel.broker.partition;

import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.MetadataRecord;
import io.runnel.metadata.controller.ClusterController;
import io.runnel.metadata.controller.ControllerCommand;
import io.runnel.metadata.controller.ControllerResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.kafka.common.errors.ApiException;

/**
 * The active controller of the simulation: a real {@link ClusterController} over a committed metadata
 * log kept in memory (one entry per decision, committed at once, as a quorum that never loses an entry),
 * with every image kept so brokers can replay it at their own pace. Not thread-safe.
 */
final class SimController {

    static final String CLUSTER_ID = "replication-sim";

    /** A command's outcome: the reply, or the controller's refusal, and the offset holding its records (-1 for none). */
    record Outcome(Object reply, ApiException error, long offset) { }

    private final SimScheduler scheduler;
    private final Random random;
    private final long sessionTimeoutMs;
    private final List<MetadataImage> images = new ArrayList<>();
    private ClusterController controller;
    int failovers;

    SimController(SimScheduler scheduler, Random random, long sessionTimeoutMs) {
        this.scheduler = scheduler;
        this.random = random;
        this.sessionTimeoutMs = sessionTimeoutMs;
        images.add(MetadataImage.EMPTY);
        controller = new ClusterController(MetadataImage.EMPTY, sessionTimeoutMs, new Random(random.nextLong()), scheduler.nowMs());
        commit(controller.bootstrap(CLUSTER_ID));
    }

    /** The committed image. */
    MetadataImage image() {
        return images.get(images.size() - 1);
    }

    /** The committed image as of {@code offset}. */
    MetadataImage imageAt(long offset) {
        return images.get((int) offset);
    }

    long offset() {
        return images.size() - 1;
    }

    Outcome handle(ControllerCommand command) {
        try {
            ControllerResult result = controller.handle(command, scheduler.nowMs());
            return new Outcome(result.reply(), null, commit(result.records()));
        } catch (ApiException e) {
            return new Outcome(null, e, -1);
        }
    }

    /** Fences the brokers whose session expired; returns the records committed. */
    List<MetadataRecord> fenceExpiredBrokers() {
        List<MetadataRecord> records = controller.fenceExpiredBrokers(scheduler.nowMs());
        commit(records);
        return records;
    }

    /** Fences broker {@code brokerId} found dead at {@code brokerEpoch}; returns the records committed. */
    List<MetadataRecord> fenceDeadBroker(int brokerId, long brokerEpoch) {
        List<MetadataRecord> records = controller.fenceDeadBroker(brokerId, brokerEpoch);
        commit(records);
        return records;
    }

    /** Another controller takes over the committed log (it gives every broker a full session from now). */
    void failover() {
        controller = new ClusterController(image(), sessionTimeoutMs, new Random(random.nextLong()), scheduler.nowMs());
        failovers++;
    }

    private long commit(List<MetadataRecord> records) {
        if (records.isEmpty()) {
            return -1;
        }
        MetadataImage next = image().apply(records, offset() + 1);
        images.add(next);
        controller.replay(next);
        return next.offset();
    }
}
