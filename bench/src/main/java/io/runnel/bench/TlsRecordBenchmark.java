package io.runnel.bench;

import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.runnel.testkit.tls.TestCertificates;
import io.runnel.testkit.tls.TestIdentity;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One full TLS record (16 KiB of a fetch) through a pair of engines that finished a TLS 1.3 handshake in
 * memory: the server encrypts it ({@code SslHandler}'s wrap, the fetch path) and the client decrypts it
 * (the same work a broker's unwrap does on the produce path). {@code JDK} is the JDK's SSLEngine, which
 * Kafka and Runnel's listeners use; {@code OPENSSL} is Netty's BoringSSL engine (netty-tcnative). The
 * buffers are those Netty's SslHandler gives each: a direct plaintext chunk, a heap record buffer for the
 * JDK engine and a direct one for OpenSSL. Decides whether an OpenSSL option would pay (issue 13).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TlsRecordBenchmark {

    private static final int RECORD_BYTES = 16 * 1024;

    @Param({"JDK", "OPENSSL"})
    public String provider;

    private SSLEngine server;
    private SSLEngine client;
    private ByteBuffer plaintext;
    private ByteBuffer record;
    private ByteBuffer received;

    @Setup
    public void handshake() throws Exception {
        Path dir = Files.createTempDirectory("tls-record-benchmark");
        TestCertificates ca = TestCertificates.create(dir.resolve("ca"), "Benchmark CA");
        TestIdentity identity = ca.issue("broker", "CN=localhost");
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(load(identity.keystore("PKCS12")), TestCertificates.STORE_PASSWORD.toCharArray());
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(load(ca.truststore("PKCS12")));
        SslProvider engines = SslProvider.valueOf(provider);
        SslContext serverContext = SslContextBuilder.forServer(keys).sslProvider(engines).protocols("TLSv1.3").build();
        SslContext clientContext = SslContextBuilder.forClient().trustManager(trust).sslProvider(engines).protocols("TLSv1.3").build();
        server = serverContext.newEngine(UnpooledByteBufAllocator.DEFAULT);
        client = clientContext.newEngine(UnpooledByteBufAllocator.DEFAULT, "localhost", 9093);
        boolean direct = engines != SslProvider.JDK;
        plaintext = ByteBuffer.allocateDirect(RECORD_BYTES);
        byte[] bytes = new byte[RECORD_BYTES];
        new Random(42).nextBytes(bytes);
        plaintext.put(bytes).flip();
        record = allocate(2 * server.getSession().getPacketBufferSize(), direct);
        received = ByteBuffer.allocateDirect(2 * client.getSession().getApplicationBufferSize());
        new InMemoryHandshake(client, server, direct).run();
    }

    @Benchmark
    public int encryptAndDecrypt() throws SSLException {
        plaintext.rewind();
        record.clear();
        check(server.wrap(plaintext, record));
        record.flip();
        received.clear();
        while (record.hasRemaining()) {
            check(client.unwrap(record, received));
        }
        return received.position();
    }

    private static void check(SSLEngineResult result) {
        if (result.getStatus() != SSLEngineResult.Status.OK) {
            throw new IllegalStateException("TLS record not passed: " + result);
        }
    }

    private static ByteBuffer allocate(int bytes, boolean direct) {
        return direct ? ByteBuffer.allocateDirect(bytes) : ByteBuffer.allocate(bytes);
    }

    private static KeyStore load(Path pkcs12) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(pkcs12)) {
            store.load(in, TestCertificates.STORE_PASSWORD.toCharArray());
        }
        return store;
    }

    /** Passes handshake records between two engines until both are done, then the server's session tickets. */
    private record InMemoryHandshake(SSLEngine client, SSLEngine server, boolean direct) {

        void run() throws SSLException {
            ByteBuffer toServer = allocate(1 << 16, direct);
            ByteBuffer toClient = allocate(1 << 16, direct);
            ByteBuffer sink = ByteBuffer.allocateDirect(1 << 16);
            client.beginHandshake();
            server.beginHandshake();
            for (int step = 0; step < 1000 && !(done(client) && done(server)); step++) {
                step(client, toServer, toClient, sink);
                step(server, toClient, toServer, sink);
            }
            if (!(done(client) && done(server))) {
                throw new IllegalStateException("handshake did not finish: " + client.getHandshakeStatus() + " / " + server.getHandshakeStatus());
            }
            toClient.flip();
            while (toClient.hasRemaining()) { // TLS 1.3 session tickets, sent after the handshake
                sink.clear();
                client.unwrap(toClient, sink);
            }
        }

        private static boolean done(SSLEngine engine) {
            HandshakeStatus status = engine.getHandshakeStatus();
            return status == HandshakeStatus.NOT_HANDSHAKING || status == HandshakeStatus.FINISHED;
        }

        private static void step(SSLEngine engine, ByteBuffer out, ByteBuffer in, ByteBuffer sink) throws SSLException {
            switch (engine.getHandshakeStatus()) {
                case NEED_WRAP -> engine.wrap(ByteBuffer.allocate(0), out);
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    in.flip();
                    sink.clear();
                    engine.unwrap(in, sink);
                    in.compact();
                }
                case NEED_TASK -> {
                    for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
                        task.run();
                    }
                }
                default -> {
                    // done
                }
            }
        }
    }
}
