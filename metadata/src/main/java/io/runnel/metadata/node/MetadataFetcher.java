package io.runnel.metadata.node;

import io.runnel.metadata.MetadataImage;
import io.runnel.metadata.MetadataPublisher;
import io.runnel.metadata.MetadataRecordSerde;
import io.runnel.metadata.node.QuorumMessages.Entry;
import io.runnel.metadata.node.QuorumMessages.FetchAnswer;
import io.runnel.metadata.quorum.QuorumClient;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How a broker that does not vote follows the metadata log: it fetches the committed entries after
 * its offset from the quorum leader (long polls, so a change arrives within milliseconds) and replays
 * them, or starts over from the leader's image when it is too far behind. One thread of its own.
 */
final class MetadataFetcher implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MetadataFetcher.class);
    private static final int MAX_WAIT_MS = 500;
    private static final long BACKOFF_MS = 200;

    private final QuorumClient client;
    private final MetadataPublisher publisher;
    private final int nodeId;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile int leaderId = -1;

    MetadataFetcher(QuorumClient client, MetadataPublisher publisher, int nodeId) {
        this.client = client;
        this.publisher = publisher;
        this.nodeId = nodeId;
        this.thread = new Thread(this::run, "runnel-metadata-fetcher-" + nodeId);
        thread.setDaemon(true);
        thread.start();
    }

    int leaderId() {
        return leaderId;
    }

    private void run() {
        while (running) {
            try {
                long offset = publisher.image().offset();
                FetchAnswer answer = QuorumMessages.readAnswer(client.send(QuorumMessages.fetch(offset, MAX_WAIT_MS, nodeId))
                        .get(MAX_WAIT_MS + 10_000L, TimeUnit.MILLISECONDS));
                leaderId = answer.leaderId();
                replay(answer);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                if (running) {
                    log.debug("Metadata fetch failed: {}", e.toString());
                    leaderId = -1;
                    sleep();
                }
            }
        }
    }

    private void replay(FetchAnswer answer) throws java.io.IOException {
        if (answer.snapshot() != null) {
            Entry snapshot = answer.snapshot();
            publisher.reset(MetadataImage.EMPTY.apply(MetadataRecordSerde.deserializeBatch(snapshot.batch()), snapshot.offset()));
            log.info("Loaded the metadata image at offset {} from the quorum", snapshot.offset());
            return;
        }
        for (Entry entry : answer.entries()) {
            publisher.publish(MetadataRecordSerde.deserializeBatch(entry.batch()), entry.offset());
        }
    }

    private void sleep() {
        try {
            Thread.sleep(BACKOFF_MS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running = false;
        thread.interrupt();
    }
}
