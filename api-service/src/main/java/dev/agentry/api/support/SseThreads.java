package dev.agentry.api.support;

import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Runs one SSE stream on a virtual thread of its own, so a slow client blocks only itself: the stream's body writes
 * to the emitter until it has said everything, the client going away ends it quietly, and the cleanup (leaving a
 * live subscription) runs whatever happened.
 */
public final class SseThreads {

    private static final Logger log = LoggerFactory.getLogger(SseThreads.class);

    /** What a stream does while it is open; returning ends it normally. */
    @FunctionalInterface
    public interface Body {
        void run() throws IOException, InterruptedException;
    }

    private SseThreads() {}

    /** @param what the stream, for the log line when its client goes away */
    public static void start(SseEmitter emitter, String threadName, String what, Body body, Runnable cleanup) {
        Thread.ofVirtual().name(threadName).start(() -> {
            try {
                body.run();
                emitter.complete();
            } catch (IOException | IllegalStateException e) {
                log.debug("{} ended by the client: {}", what, e.getMessage());
                emitter.completeWithError(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                emitter.complete();
            } finally {
                cleanup.run();
            }
        });
    }
}
