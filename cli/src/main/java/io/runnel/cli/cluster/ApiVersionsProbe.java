package io.runnel.cli.cluster;

import io.runnel.cli.client.CommandFailure;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.apache.kafka.common.requests.RequestHeader;
import org.apache.kafka.common.requests.ResponseHeader;

/**
 * Asks one broker which APIs and versions it serves: one ApiVersions request (v3, which every broker
 * since Kafka 2.4 answers) on a plain TCP connection, as {@code kafka-broker-api-versions} does. The
 * Admin client keeps these versions to itself, hence a connection of its own; it speaks PLAINTEXT
 * only. Stateless; each call opens and closes its connection.
 */
final class ApiVersionsProbe {

    private static final short VERSION = 3;

    private ApiVersionsProbe() {
    }

    /**
     * The broker's API version ranges.
     *
     * @param address   {@code host:port}
     * @param timeoutMs how long to wait to connect and for the answer
     * @throws IOException    when the broker cannot be reached or does not answer in time
     * @throws CommandFailure when the broker answers with an error
     */
    static List<ApiVersion> probe(String address, int timeoutMs) throws IOException {
        int colon = address.lastIndexOf(':');
        if (colon < 0) {
            throw new CommandFailure("'" + address + "' is not host:port");
        }
        String host = address.substring(0, colon).replace("[", "").replace("]", "");
        int port = Integer.parseInt(address.substring(colon + 1).trim());
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), timeoutMs);
            socket.setSoTimeout(timeoutMs);
            send(new DataOutputStream(socket.getOutputStream()));
            ApiVersionsResponse response = receive(new DataInputStream(socket.getInputStream()));
            if (response.data().errorCode() != Errors.NONE.code()) {
                throw new CommandFailure("ApiVersions failed: " + Errors.forCode(response.data().errorCode()).message());
            }
            return List.copyOf(response.data().apiKeys());
        }
    }

    private static void send(DataOutputStream out) throws IOException {
        RequestHeader header = new RequestHeader(ApiKeys.API_VERSIONS, VERSION, "runnel-cli", 1);
        ByteBuffer request = new ApiVersionsRequest.Builder(VERSION).build(VERSION).serializeWithHeader(header);
        byte[] bytes = new byte[request.remaining()];
        request.get(bytes);
        out.writeInt(bytes.length);
        out.write(bytes);
        out.flush();
    }

    private static ApiVersionsResponse receive(DataInputStream in) throws IOException {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        ResponseHeader.parse(buffer, ApiKeys.API_VERSIONS.responseHeaderVersion(VERSION));
        return ApiVersionsResponse.parse(new ByteBufferAccessor(buffer), VERSION);
    }
}
