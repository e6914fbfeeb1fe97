package dev.agentry.testkit.messages;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

/**
 * The life of a scripted model server: a loopback HTTP server handling each request on a virtual thread, every
 * request recorded before its answer is chosen, and the moment it closes, which releases the requests scripted to
 * hang.
 */
final class ScriptedServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ScriptedServer.class);

    /** Answers one recorded request; the exchange is closed after it returns. */
    @FunctionalInterface
    interface Answerer {
        void answer(HttpExchange exchange, RecordedRequest request) throws IOException, InterruptedException;
    }

    private final ExecutorService handlers = Executors.newVirtualThreadPerTaskExecutor();
    private final CountDownLatch closed = new CountDownLatch(1);
    private final HttpServer server;

    ScriptedServer(Answerer answerer, JsonMapper mapper, String what) {
        server = ScriptedHttp.start(handlers, exchange -> handle(exchange, answerer, mapper, what), what);
    }

    private static void handle(HttpExchange exchange, Answerer answerer, JsonMapper mapper, String what) {
        try (exchange) {
            answerer.answer(exchange, ScriptedHttp.record(exchange, mapper));
        } catch (IOException e) {
            log.debug("A client of the scripted {} went away before its answer was written.", what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            log.error("The scripted {} failed to answer a request.", what, e);
        }
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
