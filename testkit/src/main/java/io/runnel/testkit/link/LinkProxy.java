package io.runnel.testkit.link;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder from one address to another that a test can cut and heal, to stand in for a network
 * link: {@link #cut()} stops every byte (connections stay open, as under a network partition, so peers
 * find out by timing out, not by a reset), {@link #heal()} closes the connections that lived through the
 * cut (as TCP connections rarely outlive a long partition) and lets new ones through.
 *
 * <p>While cut, new connections are accepted and held without reaching the target. Each connection uses
 * two daemon threads, one per direction: fine for the few long-lived connections between brokers.
 * Thread-safe.
 */
public final class LinkProxy implements AutoCloseable {

    private static final int CONNECT_TIMEOUT_MS = 2_000;
    private static final int BUFFER_BYTES = 64 * 1024;

    private final String name;
    private final InetSocketAddress target;
    private final ServerSocket server;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final Object gate = new Object();
    private volatile boolean cut;
    private volatile boolean closed;

    private LinkProxy(String name, ServerSocket server, InetSocketAddress target) {
        this.name = name;
        this.server = server;
        this.target = target;
    }

    /**
     * Listens on {@code listen} and forwards each connection to {@code target}.
     *
     * @param name for thread names and messages, e.g. "1->2:9093"
     */
    public static LinkProxy start(String name, InetSocketAddress listen, InetSocketAddress target) {
        try {
            ServerSocket server = new ServerSocket();
            server.setReuseAddress(true);
            server.bind(listen, 64);
            LinkProxy proxy = new LinkProxy(name, server, target);
            Thread acceptor = new Thread(proxy::acceptLoop, "link-proxy-" + name);
            acceptor.setDaemon(true);
            acceptor.start();
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot listen on " + listen + " for link " + name, e);
        }
    }

    /** Where the proxy listens. */
    public InetSocketAddress address() {
        return (InetSocketAddress) server.getLocalSocketAddress();
    }

    /** Stops forwarding: bytes in flight and new connections wait, nothing reaches the other side. */
    public void cut() {
        cut = true;
    }

    /** Forwards again: connections that lived through the cut are closed, new ones pass. */
    public void heal() {
        if (!cut) {
            return;
        }
        synchronized (gate) {
            for (Connection connection : connections) {
                connection.close();
            }
            cut = false;
            gate.notifyAll();
        }
    }

    /** Whether the link is cut. */
    public boolean isCut() {
        return cut;
    }

    /** Connections open through the proxy now. */
    public int openConnections() {
        return connections.size();
    }

    /** Stops listening and closes every connection. */
    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        synchronized (gate) {
            connections.forEach(Connection::close);
            gate.notifyAll();
        }
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;   // closed
            }
            Connection connection = new Connection(client);
            connections.add(connection);
            if (cut) {
                continue;   // held open, unconnected, until heal() closes it
            }
            connection.connect();
        }
    }

    /** Waits while the link is cut; false if the connection was closed meanwhile. */
    private boolean awaitOpen(Connection connection) {
        synchronized (gate) {
            while (cut && !connection.closed && !closed) {
                try {
                    gate.wait();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
            return !connection.closed && !closed;
        }
    }

    @Override
    public String toString() {
        return "LinkProxy[" + name + " " + address() + " -> " + target + (cut ? ", cut" : "") + "]";
    }

    /** One client connection and, once connected, its upstream socket. */
    private final class Connection {

        private final Socket client;
        private volatile Socket upstream;
        private volatile boolean closed;

        Connection(Socket client) {
            this.client = client;
        }

        void connect() {
            Thread connector = new Thread(() -> {
                Socket socket = new Socket();
                try {
                    socket.setTcpNoDelay(true);
                    socket.connect(target, CONNECT_TIMEOUT_MS);
                    upstream = socket;
                    if (closed) {
                        close();
                        return;
                    }
                    client.setTcpNoDelay(true);
                    pump(client, socket, "out");
                    pump(socket, client, "in");
                } catch (IOException e) {
                    closeQuietly(socket);
                    close();
                }
            }, "link-proxy-" + name + "-connect");
            connector.setDaemon(true);
            connector.start();
        }

        private void pump(Socket from, Socket to, String direction) {
            Thread pump = new Thread(() -> {
                byte[] buffer = new byte[BUFFER_BYTES];
                try {
                    InputStream in = from.getInputStream();
                    OutputStream out = to.getOutputStream();
                    int read;
                    while ((read = in.read(buffer)) >= 0) {
                        if (cut && !awaitOpen(this)) {
                            return;
                        }
                        out.write(buffer, 0, read);
                        out.flush();
                    }
                } catch (SocketException e) {
                    // closed by the other pump, a heal, or a peer
                } catch (IOException e) {
                    // the same, reported differently
                } finally {
                    close();
                }
            }, "link-proxy-" + name + "-" + direction);
            pump.setDaemon(true);
            pump.start();
        }

        void close() {
            closed = true;
            connections.remove(this);
            closeQuietly(client);
            Socket socket = upstream;
            if (socket != null) {
                closeQuietly(socket);
            }
        }

        private void closeQuietly(Socket socket) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // nothing to do
            }
        }
    }
}
