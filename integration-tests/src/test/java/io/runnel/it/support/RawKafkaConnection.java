package io.runnel.it.support;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import javax.net.SocketFactory;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;

/**
 * One TCP (or TLS) connection to a broker that speaks the Kafka wire protocol with kafka-clients' generated
 * message classes, without a client's retries or version negotiation: the test picks the exact version,
 * and may also write arbitrary bytes. A frame is an int32 size, a request header and a body.
 */
public final class RawKafkaConnection implements AutoCloseable {

    private static final int READ_TIMEOUT_MS = 15_000;
    private static final String CLIENT_ID = "runnel-raw-test";

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private int nextCorrelationId = 1;

    private RawKafkaConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    /** Connects to {@code host:port}. */
    public static RawKafkaConnection open(String bootstrapServers) {
        return open(bootstrapServers, SocketFactory.getDefault());
    }

    /** Connects to {@code host:port} with sockets from {@code sockets}, e.g. an SSLSocketFactory for a TLS listener. */
    public static RawKafkaConnection open(String bootstrapServers, SocketFactory sockets) {
        return connect(bootstrapServers, sockets::createSocket);
    }

    /**
     * Connects to {@code host:port} from the local address {@code localAddress}, e.g. 127.0.0.2, so the
     * broker sees another client address than 127.0.0.1 (any 127.x address is local on Linux).
     */
    public static RawKafkaConnection openFrom(String bootstrapServers, String localAddress) {
        return connect(bootstrapServers, (host, port) -> SocketFactory.getDefault().createSocket(host, port, InetAddress.getByName(localAddress), 0));
    }

    private interface Connector {
        Socket connect(String host, int port) throws IOException;
    }

    private static RawKafkaConnection connect(String bootstrapServers, Connector connector) {
        int colon = bootstrapServers.lastIndexOf(':');
        try {
            Socket socket = connector.connect(bootstrapServers.substring(0, colon), Integer.parseInt(bootstrapServers.substring(colon + 1)));
            socket.setSoTimeout(READ_TIMEOUT_MS);
            socket.setTcpNoDelay(true);
            return new RawKafkaConnection(socket);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot connect to " + bootstrapServers, e);
        }
    }

    /** How long reads wait for the broker (15 s unless set). */
    public RawKafkaConnection readTimeout(Duration timeout) {
        try {
            socket.setSoTimeout((int) timeout.toMillis());
        } catch (SocketException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /**
     * Sends {@code request} as {@code apiKey} at {@code version} and returns the response body, parsed
     * with the same version.
     */
    @SuppressWarnings("unchecked")
    public <T extends ApiMessage> T call(ApiKeys apiKey, short version, ApiMessage request) {
        int correlationId = send(apiKey, version, request);
        return (T) receive(apiKey, version, correlationId);
    }

    /** Sends one request frame and returns its correlation id. */
    public int send(ApiKeys apiKey, short version, ApiMessage request) {
        RequestHeaderData header = header(apiKey.id, version);
        writeFrame(header, apiKey.requestHeaderVersion(version), request, version);
        return header.correlationId();
    }

    /**
     * Writes a frame with any header (the API key and version need not exist) and a body serialized at
     * {@code bodyVersion}.
     */
    public void writeFrame(RequestHeaderData header, short headerVersion, ApiMessage body, short bodyVersion) {
        writeFrame(header, headerVersion, serialize(body, bodyVersion));
    }

    /** Writes a frame with any header and any body bytes. */
    public void writeFrame(RequestHeaderData header, short headerVersion, byte[] body) {
        ObjectSerializationCache cache = new ObjectSerializationCache();
        int headerSize = header.size(cache, headerVersion);
        ByteBuffer frame = ByteBuffer.allocate(4 + headerSize + body.length);
        frame.putInt(headerSize + body.length);
        header.write(new ByteBufferAccessor(frame), cache, headerVersion);
        frame.put(body);
        writeBytes(frame.array());
    }

    /** A request header for {@code apiKey} (any short, known or not) at {@code version}. */
    public RequestHeaderData header(short apiKey, short version) {
        return new RequestHeaderData()
                .setRequestApiKey(apiKey)
                .setRequestApiVersion(version)
                .setCorrelationId(nextCorrelationId++)
                .setClientId(CLIENT_ID);
    }

    /** A message's bytes as {@code version} writes them. */
    public static byte[] serialize(ApiMessage message, short version) {
        ObjectSerializationCache cache = new ObjectSerializationCache();
        ByteBuffer buffer = ByteBuffer.allocate(message.size(cache, version));
        message.write(new ByteBufferAccessor(buffer), cache, version);
        return buffer.array();
    }

    /** Writes raw bytes, whatever they are. */
    public void writeBytes(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write to the broker", e);
        }
    }

    /** Reads the next response frame and parses its body as {@code apiKey}'s response at {@code version}. */
    public ApiMessage receive(ApiKeys apiKey, short version, int expectedCorrelationId) {
        return receive(apiKey, version, apiKey.responseHeaderVersion(version), expectedCorrelationId);
    }

    /** Reads the next response frame, with an explicit response header version. */
    public ApiMessage receive(ApiKeys apiKey, short version, short responseHeaderVersion, int expectedCorrelationId) {
        ByteBuffer frame = readFrame();
        ByteBufferAccessor accessor = new ByteBufferAccessor(frame);
        ResponseHeaderData header = new ResponseHeaderData(accessor, responseHeaderVersion);
        if (header.correlationId() != expectedCorrelationId) {
            throw new AssertionError("Response correlation id " + header.correlationId() + ", expected " + expectedCorrelationId);
        }
        ApiMessage response = apiKey.messageType.newResponse();
        response.read(accessor, version);
        if (frame.hasRemaining()) {
            throw new AssertionError(frame.remaining() + " bytes left after parsing the " + apiKey + " v" + version + " response");
        }
        return response;
    }

    /** Reads one size-prefixed frame. */
    public ByteBuffer readFrame() {
        try {
            int size = in.readInt();
            byte[] bytes = new byte[size];
            in.readFully(bytes);
            return ByteBuffer.wrap(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read a response frame", e);
        }
    }

    /**
     * Whether the broker closes this connection: true once the stream ends or is reset, false when nothing
     * happens within the read timeout. Any bytes the broker still sends are skipped.
     */
    public boolean isClosedByBroker() {
        try {
            byte[] buffer = new byte[4096];
            while (in.read(buffer) >= 0) {
                // skip whatever the broker wrote before closing
            }
            return true;
        } catch (EOFException | SocketException e) {
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
