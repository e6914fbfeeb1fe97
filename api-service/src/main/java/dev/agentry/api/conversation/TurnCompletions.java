package dev.agentry.api.conversation;

import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.springframework.stereotype.Component;

/**
 * This instance's requests waiting for a turn to end. The projector signals a turn after its commit (here, or
 * through PostgreSQL NOTIFY from another instance, see {@link TurnSignals}); a waiter then reads the turn again.
 * A waiter registers before it reads, so a signal between its read and its wait is not lost.
 */
@Component
class TurnCompletions {

    private final Map<UUID, CompletableFuture<Void>> waiting = new ConcurrentHashMap<>();

    /** The signal of the next change of the turn; register, then read the turn, then wait on it. */
    CompletableFuture<Void> next(UUID turnId) {
        return waiting.computeIfAbsent(turnId, id -> new CompletableFuture<>());
    }

    void signal(UUID turnId) {
        CompletableFuture<Void> future = waiting.remove(turnId);
        if (future != null) {
            future.complete(null);
        }
    }

    /** Wakes every waiter to read again: after notifications may have been missed (a lost LISTEN connection). */
    void signalAll() {
        waiting.keySet().forEach(this::signal);
    }

    /** Waits for the signal at most {@code wait}; false when the time ran out. */
    static boolean await(CompletableFuture<Void> signal, Duration wait) throws InterruptedException {
        try {
            signal.get(Math.max(0, wait.toMillis()), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        }
    }

    int waiting() {
        return waiting.size();
    }
}
