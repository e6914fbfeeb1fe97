package dev.agentry.testkit.messages;

import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The life of a scripted model server: a loopback HTTP server handling each request on a virtual thread, and the
 * moment it closes, which releases the requests scripted to hang.
 */
final class ScriptedServer implements AutoCloseable {

    private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final HttpServer server;

    ScriptedServer(HttpHandler handler, String what) {
        server = ScriptedHttp.start(handlers, handler, what);
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** Blocks until the server is closed. */
    void awaitClose() throws InterruptedException {
        closed.await();
    }

    @Override
    public void close() {
        closed.countDown();
        server.stop(0);
        handlers.shutdownNow();
    }
}
