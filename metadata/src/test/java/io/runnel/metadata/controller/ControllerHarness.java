package io.runnel.metadata.controller;

import io.runnel.metadata.BrokerEndpoint;
import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.MetadataRecord;
import io.runnel.metadata.PartitionRegistration;
import io.runnel.metadata.TopicMetadata;
import io.runnel.metadata.controller.ControllerCommand.BrokerHeartbeat;
import io.runnel.metadata.controller.ControllerCommand.HeartbeatReply;
import io.runnel.metadata.controller.ControllerCommand.RegisterBroker;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.kafka.common.Uuid;

/**
 * A {@link ClusterController} over an in-memory committed log and a manual clock: every result's records
 * are "committed" at the next offset at once, and replayed into the controller. Not thread-safe.
 */
final class ControllerHarness {

    static final String CLUSTER_ID = "test-cluster";
    static final long SESSION_TIMEOUT_MS = 9_000;

    private final Random random;
    private final ControllerConfig config;
    private MetadataImage image = MetadataImage.EMPTY;
    private ClusterController controller;
    private long nowMs;

    ControllerHarness(long seed) {
        this(seed, ControllerConfig.defaults());
    }

    /** A controller whose static broker configs are {@code config}. */
    ControllerHarness(long seed, ControllerConfig config) {
        this.random = new Random(seed);
        this.config = config;
        controller = new ClusterController(image, SESSION_TIMEOUT_MS, config, new Random(random.nextLong()), nowMs);
        commit(controller.bootstrap(CLUSTER_ID));
    }

    MetadataImage image() {
        return image;
    }

    long nowMs() {
        return nowMs;
    }

    void advance(long ms) {
        nowMs += ms;
    }

    /** A new active controller over the committed image, as after a controller failover. */
    void failover() {
        controller = new ClusterController(image, SESSION_TIMEOUT_MS, config, new Random(random.nextLong()), nowMs);
    }

    /** Decides and commits {@code command}; returns the reply. Throws the controller's ApiException. */
    Object handle(ControllerCommand command) {
        ControllerResult result = controller.handle(command, nowMs);
        commit(result.records());
        return result.reply();
    }

    /** Commits the records of the brokers whose session expired by now; returns them. */
    List<MetadataRecord> fenceExpired() {
        List<MetadataRecord> records = controller.fenceExpiredBrokers(nowMs);
        commit(records);
        return records;
    }

    /** Commits the records that fence broker {@code brokerId} found dead at {@code brokerEpoch}; returns them. */
    List<MetadataRecord> fenceDead(int brokerId, long brokerEpoch) {
        List<MetadataRecord> records = controller.fenceDeadBroker(brokerId, brokerEpoch);
        commit(records);
        return records;
    }

    /** Runs one pass of leader rebalancing and commits it; returns whether the pass stopped with more to do. */
    boolean balanceLeaders() {
        ControllerResult result = controller.balanceLeaders();
        commit(result.records());
        return (Boolean) result.reply();
    }

    /** Appends {@code records} as one entry, if any, and replays the result into the controller. */
    void commit(List<MetadataRecord> records) {
        if (!records.isEmpty()) {
            image = image.apply(records, image.offset() + 1);
            controller.replay(image);
        }
    }

    long register(int brokerId, Uuid directoryId, String rack) {
        return register(brokerId, Uuid.randomUuid(), directoryId, rack);
    }

    long register(int brokerId, Uuid incarnationId, Uuid directoryId, String rack) {
        return register(brokerId, incarnationId, directoryId, rack, RegisterBroker.UNKNOWN_PREVIOUS_EPOCH);
    }

    /** Registers a new process of {@code brokerId} whose previous process shut down cleanly at {@code previousEpoch} (-1: not known). */
    long register(int brokerId, Uuid incarnationId, Uuid directoryId, String rack, long previousEpoch) {
        return (Long) handle(new RegisterBroker(brokerId, incarnationId, directoryId, CLUSTER_ID,
                List.of(new BrokerEndpoint("PLAINTEXT", "host" + brokerId, 9092)), rack, previousEpoch));
    }

    /** A heartbeat from a broker that has replayed the whole committed log. */
    HeartbeatReply heartbeat(int brokerId, long epoch) {
        return heartbeat(brokerId, epoch, image.offset(), false);
    }

    HeartbeatReply heartbeat(int brokerId, long epoch, long metadataOffset, boolean wantShutDown) {
        return (HeartbeatReply) handle(new BrokerHeartbeat(brokerId, epoch, metadataOffset, wantShutDown));
    }

    /** Registers and unfences brokers {@code 1..racks.length} (a null rack is none); returns their epochs, index 0 unused. */
    long[] activeBrokers(String... racks) {
        long[] epochs = new long[racks.length + 1];
        for (int id = 1; id <= racks.length; id++) {
            epochs[id] = register(id, Uuid.randomUuid(), racks[id - 1]);
            heartbeat(id, epochs[id]);
        }
        return epochs;
    }

    TopicMetadata createTopic(String name, int partitions, int replicationFactor) {
        handle(new ControllerCommand.CreateTopic(name, partitions, replicationFactor, Map.of(), Map.of(), false));
        return topic(name);
    }

    TopicMetadata topic(String name) {
        return image.topic(name).orElseThrow();
    }

    PartitionRegistration partition(String topic, int index) {
        return topic(topic).partition(index);
    }
}
