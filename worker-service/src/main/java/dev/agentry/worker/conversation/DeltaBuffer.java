package dev.agentry.worker.conversation;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * Coalesces streamed text into chunks of reasonable size: what has arrived is handed on once {@code maxChars} are
 * waiting or {@code interval} has passed since the last hand-over, and on {@link #flush()}.
 */
final class DeltaBuffer {

    private final Consumer<String> sink;
    private final Duration interval;
    private final int maxChars;
    private final StringBuilder pending = new StringBuilder();
    private long lastFlush = System.nanoTime();

    DeltaBuffer(Consumer<String> sink, Duration interval, int maxChars) {
        this.sink = sink;
        this.interval = interval;
        this.maxChars = maxChars;
    }

    synchronized void append(String text) {
        pending.append(text);
        if (pending.length() >= maxChars || System.nanoTime() - lastFlush >= interval.toNanos()) {
            flush();
        }
    }

    synchronized void flush() {
        lastFlush = System.nanoTime();
        if (!pending.isEmpty()) {
            String text = pending.toString();
            pending.setLength(0);
            sink.accept(text);
        }
    }
}
