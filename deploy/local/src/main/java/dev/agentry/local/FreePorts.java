package dev.agentry.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;

/**
 * Loopback ports for our embedded servers: a free one for servers that cannot report the port they bound when asked
 * for port 0, and the check that a fixed one is really free before a server of ours is started on it.
 */
final class FreePorts {

    private static final Duration PROBE_TIMEOUT = Duration.ofSeconds(1);
    private static final List<InetAddress> LOOPBACK = loopbackAddresses();

    static int pick() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("No free port on the loopback interface", e);
        }
    }

    static int orPick(int port) {
        return port == 0 ? pick() : port;
    }

    /**
     * Refuses, saying what to do, when another process already listens on {@code port} of the loopback interface.
     * Our clients reach the embedded servers at localhost:port, so they would reach that process instead; and not
     * every server says so when it cannot bind: zonky's PostgreSQL start takes whichever server answers on the port
     * for its own, even one that serves another data directory.
     *
     * @param server the server that is to listen there, as the message names it
     * @param variable the environment variable that gives it another port
     */
    static void requireFree(int port, String server, String variable) {
        if (port != 0 && isTaken(port)) {
            throw new IllegalStateException("Port " + port + " is already taken by another process, so " + server
                    + " cannot listen there; the platform will not use a server it did not start (one left running"
                    + " by a platform with another data directory would have other data and secrets). Stop the"
                    + " process that holds port " + port + ", or set " + variable + " to another port.");
        }
    }

    /**
     * Taken if anything answers on the port, or if it cannot be bound: binding alone misses a server on the wildcard
     * address where a more specific bind is allowed (macOS), answering alone misses one whose backlog is full.
     */
    private static boolean isTaken(int port) {
        return LOOPBACK.stream().anyMatch(address -> answers(address, port)) || !bindable(port);
    }

    private static boolean answers(InetAddress address, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(address, port), (int) PROBE_TIMEOUT.toMillis());
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static boolean bindable(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** 127.0.0.1 and ::1: localhost may resolve to either. */
    private static List<InetAddress> loopbackAddresses() {
        try {
            return List.of(InetAddress.getByName("127.0.0.1"), InetAddress.getByName("::1"));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("Literal loopback addresses are always valid", e);
        }
    }

    private FreePorts() {}
}
