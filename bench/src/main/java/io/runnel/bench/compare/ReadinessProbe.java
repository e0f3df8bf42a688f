package io.runnel.bench.compare;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.MetadataRequest;
import org.apache.kafka.common.requests.MetadataResponse;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * Decides when a broker is ready: the first moment a client's Metadata request is answered with at
 * least one broker in it. Speaks the protocol over a plain socket (no client start-up cost), every
 * 10 ms, so the time measured is the broker's, not the probe's. Not thread-safe.
 */
final class ReadinessProbe {

    private static final short METADATA_VERSION = 12;
    private static final int SOCKET_TIMEOUT_MS = 2000;
    private static final long RETRY_MS = 10;

    private final InetSocketAddress address;
    private int correlationId;

    ReadinessProbe(String host, int port) {
        this.address = new InetSocketAddress(host, port);
    }

    /** Loads and runs the probe's classes once, so the first real attempt is not slowed by class loading. */
    static void warmUp() {
        MetadataRequest request = new MetadataRequest.Builder(List.of(), false).build(METADATA_VERSION);
        request.serializeWithHeader(new RequestHeader(ApiKeys.METADATA, METADATA_VERSION, "warm-up", 0));
    }

    /**
     * Polls until the broker answers or {@code process} exits or the timeout passes.
     *
     * @return whether the broker became ready
     */
    boolean await(Process process, Duration timeout) throws InterruptedException {
        return await(process, timeout, 1);
    }

    /**
     * Polls until the broker's Metadata answer lists at least {@code brokers} brokers (the registered,
     * unfenced ones, in Kafka and in Runnel) or {@code process} exits or the timeout passes.
     *
     * @return whether the broker listed that many
     */
    boolean await(Process process, Duration timeout, int brokers) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            if (brokersListed() >= brokers) {
                return true;
            }
            Thread.sleep(RETRY_MS);
        }
        return false;
    }

    /** How many brokers the broker's Metadata answer lists; -1 if it does not answer. */
    private int brokersListed() {
        try (Socket socket = new Socket()) {
            socket.connect(address, SOCKET_TIMEOUT_MS);
            socket.setSoTimeout(SOCKET_TIMEOUT_MS);
            socket.setTcpNoDelay(true);
            RequestHeader header = new RequestHeader(ApiKeys.METADATA, METADATA_VERSION, "runnel-compare", ++correlationId);
            ByteBuffer request = new MetadataRequest.Builder(List.of(), false).build(METADATA_VERSION).serializeWithHeader(header);
            DataOutputStream out = new DataOutputStream(socket.getOutputStream());
            out.writeInt(request.remaining());
            out.write(request.array(), request.arrayOffset() + request.position(), request.remaining());
            out.flush();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] response = new byte[in.readInt()];
            in.readFully(response);
            AbstractResponse parsed = AbstractResponse.parseResponse(ByteBuffer.wrap(response), header);
            return parsed instanceof MetadataResponse metadata ? metadata.brokers().size() : -1;
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }
}
