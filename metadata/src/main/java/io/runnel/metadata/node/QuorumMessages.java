package io.runnel.metadata.node;

import io.runnel.metadata.BinaryWriter;
import io.runnel.metadata.quorum.QuorumStatus;
import io.runnel.metadata.quorum.QuorumStatus.VoterStatus;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * What nodes ask the quorum leader, and its answers to metadata fetches. Stateless.
 *
 * <pre>
 * request := byte 1 (command), command bytes (see ControllerMessages)
 *          | byte 2 (fetch), long fromOffset, int maxWaitMs [, int nodeId (absent: unknown)]
 *          | byte 3 (status)
 * fetch answer := int leaderId, byte 1 (entries), int n, n x (long offset, int length, batch)
 *               | int leaderId, byte 2 (snapshot), long offset, int length, batch
 * status answer := int leaderId, long term, long highWatermark, replicas (voters), replicas (observers)
 * replicas := int n, n x (int nodeId, long logEndOffset, long lastFetchMs, long lastCaughtUpMs)
 * </pre>
 */
final class QuorumMessages {

    static final byte COMMAND = 1;
    static final byte FETCH = 2;
    static final byte STATUS = 3;

    private QuorumMessages() {
    }

    /** A committed entry: its offset and its record batch. */
    record Entry(long offset, byte[] batch) { }

    /** The answer to a fetch: the entries after the asked offset, or a snapshot to start over from. */
    record FetchAnswer(int leaderId, List<Entry> entries, Entry snapshot) { }

    /** A fetch request; {@code nodeId} -1 when the sender did not say. */
    record Fetch(long fromOffset, int maxWaitMs, int nodeId) { }

    static byte[] command(byte[] command) {
        byte[] request = new byte[command.length + 1];
        request[0] = COMMAND;
        System.arraycopy(command, 0, request, 1, command.length);
        return request;
    }

    static byte[] fetch(long fromOffset, int maxWaitMs, int nodeId) {
        return write(out -> {
            out.writeByte(FETCH);
            out.writeLong(fromOffset);
            out.writeInt(maxWaitMs);
            out.writeInt(nodeId);
        });
    }

    static Fetch readFetch(byte[] request) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(request, 1, request.length - 1));
        long fromOffset = in.readLong();
        int maxWaitMs = in.readInt();
        return new Fetch(fromOffset, maxWaitMs, in.available() >= Integer.BYTES ? in.readInt() : -1);
    }

    static byte[] status() {
        return new byte[] {STATUS};
    }

    static byte[] statusAnswer(QuorumStatus status) {
        return write(out -> {
            out.writeInt(status.leaderId());
            out.writeLong(status.term());
            out.writeLong(status.highWatermark());
            writeReplicas(out, status.voters());
            writeReplicas(out, status.observers());
        });
    }

    static QuorumStatus readStatusAnswer(byte[] bytes) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        return new QuorumStatus(in.readInt(), in.readLong(), in.readLong(), readReplicas(in), readReplicas(in));
    }

    private static void writeReplicas(DataOutputStream out, List<VoterStatus> replicas) throws IOException {
        out.writeInt(replicas.size());
        for (VoterStatus replica : replicas) {
            out.writeInt(replica.nodeId());
            out.writeLong(replica.logEndIndex());
            out.writeLong(replica.lastFetchTimestampMs());
            out.writeLong(replica.lastCaughtUpTimestampMs());
        }
    }

    private static List<VoterStatus> readReplicas(DataInputStream in) throws IOException {
        int count = in.readInt();
        List<VoterStatus> replicas = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            replicas.add(new VoterStatus(in.readInt(), in.readLong(), in.readLong(), in.readLong()));
        }
        return replicas;
    }

    static byte[] answer(FetchAnswer answer) {
        return write(out -> {
            out.writeInt(answer.leaderId());
            if (answer.snapshot() != null) {
                out.writeByte(2);
                writeEntry(out, answer.snapshot());
            } else {
                out.writeByte(1);
                out.writeInt(answer.entries().size());
                for (Entry entry : answer.entries()) {
                    writeEntry(out, entry);
                }
            }
        });
    }

    static FetchAnswer readAnswer(byte[] bytes) throws IOException {
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes));
        int leaderId = in.readInt();
        if (in.readByte() == 2) {
            return new FetchAnswer(leaderId, List.of(), readEntry(in));
        }
        int count = in.readInt();
        List<Entry> entries = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            entries.add(readEntry(in));
        }
        return new FetchAnswer(leaderId, entries, null);
    }

    private static void writeEntry(DataOutputStream out, Entry entry) throws IOException {
        out.writeLong(entry.offset());
        out.writeInt(entry.batch().length);
        out.write(entry.batch());
    }

    private static Entry readEntry(DataInputStream in) throws IOException {
        long offset = in.readLong();
        byte[] batch = new byte[in.readInt()];
        in.readFully(batch);
        return new Entry(offset, batch);
    }

    private static byte[] write(BinaryWriter writer) {
        return BinaryWriter.toBytes(writer);
    }
}
