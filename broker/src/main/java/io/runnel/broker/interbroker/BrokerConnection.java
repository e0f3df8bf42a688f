package io.runnel.broker.interbroker;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.common.message.ApiMessageType;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.RequestHeaderData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.protocol.ObjectSerializationCache;

/**
 * A blocking Kafka-protocol connection from this broker to another, for the one thread that owns it (a
 * replica fetcher sends a request and waits for its answer, as Kafka's own fetcher threads do). Message
 * bodies are kafka-clients' generated classes; versions are the highest both sides serve, learnt
 * with ApiVersions when connecting. On a SASL inter-broker listener the connection logs in right after
 * ApiVersions and logs in again before its session ends, when the other broker sets
 * {@code connections.max.reauth.ms} (KIP-368). Not thread-safe.
 */
public final class BrokerConnection implements AutoCloseable {

    private static final long REAUTHENTICATE_PERCENT = 85;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final String clientId;
    private final ApiVersionsResponseData serverVersions;
    private final BrokerSasl sasl;
    private final String host;
    private int correlationId;
    /** When to log in again, from System.nanoTime(); 0: never (no login, or a session that does not end). */
    private long reauthenticateAtNanos;
    /** When the last answer came (System.nanoTime). */
    private long lastUsedNanos = System.nanoTime();

    private BrokerConnection(Socket socket, String clientId, BrokerSasl sasl, String host) throws IOException {
        this.socket = socket;
        this.sasl = sasl;
        this.host = host;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.clientId = clientId;
        this.serverVersions = (ApiVersionsResponseData) send(ApiKeys.API_VERSIONS, (short) 3, new ApiVersionsRequestData()
                .setClientSoftwareName("runnel-broker").setClientSoftwareVersion("1"));
        if (serverVersions.errorCode() != Errors.NONE.code()) {
            throw new IOException("ApiVersions answered " + Errors.forCode(serverVersions.errorCode()));
        }
        authenticate();
    }

    /**
     * Connects within {@code timeoutMs}, over TLS (and with a SASL login) when {@code security} says so; the TLS handshake and reads
     * wait at most {@code readTimeoutMs} for an answer.
     */
    public static BrokerConnection open(String host, int port, String clientId, int timeoutMs, int readTimeoutMs, InterBrokerSecurity security) throws IOException {
        Socket socket = new Socket();
        try {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(host, port), timeoutMs);
            socket.setSoTimeout(readTimeoutMs);
            return new BrokerConnection(security.secure(socket, host, port), clientId, security.sasl(), host);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    /** The highest version of {@code api} both this broker's client code and the other broker serve, or -1 if none. */
    public short version(ApiKeys api, short highestWanted) {
        ApiVersionsResponseData.ApiVersion served = serverVersions.apiKeys().find(api.id);
        if (served == null || served.minVersion() > highestWanted) {
            return -1;
        }
        return (short) Math.min(highestWanted, served.maxVersion());
    }

    /** Sends {@code body} as {@code api} at {@code version} and returns the answer's body. */
    public ApiMessage send(ApiKeys api, short version, ApiMessage body) throws IOException {
        if (reauthenticateAtNanos != 0 && System.nanoTime() - reauthenticateAtNanos >= 0) {
            authenticate();
        }
        int correlation = ++correlationId;
        RequestHeaderData header = new RequestHeaderData().setRequestApiKey(api.id).setRequestApiVersion(version)
                .setClientId(clientId).setCorrelationId(correlation);
        short headerVersion = api.requestHeaderVersion(version);
        ObjectSerializationCache cache = new ObjectSerializationCache();
        int size = header.size(cache, headerVersion) + body.size(cache, version);
        ByteBuffer frame = ByteBuffer.allocate(4 + size);
        frame.putInt(size);
        ByteBufferAccessor writer = new ByteBufferAccessor(frame);
        header.write(writer, cache, headerVersion);
        body.write(writer, cache, version);
        out.write(frame.array(), 0, frame.position());
        out.flush();
        ApiMessage answer = receive(api, version, correlation);
        lastUsedNanos = System.nanoTime();
        return answer;
    }

    /**
     * Whether the other broker closed this connection, as it closes one idle longer than its
     * {@code connections.max.idle.ms}; Kafka's non-blocking clients notice such a close when it comes, this
     * blocking one looks before reusing the connection. Only after a second unused, by a read of at most 1 ms:
     * the other side sends nothing unasked, so the end of the stream (or anything read) means the connection
     * cannot carry another request.
     */
    public boolean closedByPeer() {
        if (System.nanoTime() - lastUsedNanos < TimeUnit.SECONDS.toNanos(1)) {
            return false;
        }
        try {
            int readTimeoutMs = socket.getSoTimeout();
            socket.setSoTimeout(1);
            try {
                in.read();
                return true;
            } finally {
                socket.setSoTimeout(readTimeoutMs);
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    /** Logs in (again), and notes when to log in next: at 85% of the session granted, as Kafka's clients do at 85-95%. */
    private void authenticate() throws IOException {
        reauthenticateAtNanos = 0;
        long sessionMs = sasl.authenticate(this, host);
        if (sessionMs > 0) {
            reauthenticateAtNanos = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(sessionMs * REAUTHENTICATE_PERCENT / 100);
        }
    }

    private ApiMessage receive(ApiKeys api, short version, int correlation) throws IOException {
        int size = in.readInt();
        if (size < 4) {
            throw new IOException("a response frame of " + size + " bytes");
        }
        byte[] bytes = new byte[size];
        in.readFully(bytes);
        ByteBufferAccessor reader = new ByteBufferAccessor(ByteBuffer.wrap(bytes));
        ResponseHeaderData header = new ResponseHeaderData(reader, api.responseHeaderVersion(version));
        if (header.correlationId() != correlation) {
            throw new IOException("answer to request " + header.correlationId() + " while waiting for " + correlation);
        }
        ApiMessage response = ApiMessageType.fromApiKey(api.id).newResponse();
        response.read(reader, version);
        return response;
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // nothing left to release
        }
    }
}
