package dev.agentry.worker.execution;

import dev.agentry.worker.process.ProcessScope;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runs on this worker now, one per task, and the places held while a task's workspace is deleted. A run is
 * registered before it checks for its cancellation, and a cancellation is recorded before it looks for the run, so
 * no interleaving starts a cancelled iteration unnoticed.
 */
final class ActiveRuns {

    private static final Logger log = LoggerFactory.getLogger(ActiveRuns.class);

    private final Map<UUID, Run> active = new ConcurrentHashMap<>();

    /** @return null when the run now holds the task's place, else whatever holds it */
    @Nullable
    Run register(UUID taskId, Run run) {
        return active.putIfAbsent(taskId, run);
    }

    void unregister(UUID taskId, Run run) {
        active.remove(taskId, run);
    }

    /** Kills the process tree of the task's run, when one runs here; the run ends {@code CANCELLED}. */
    boolean cancel(UUID taskId) {
        Run run = active.get(taskId);
        if (run == null || run.reservation()) {
            return false;
        }
        log.info("Cancelling task {}.", taskId);
        Thread.ofVirtual().start(run.scope::cancel);
        return true;
    }

    /** Like {@link #cancel(UUID)}, only when the run here is that iteration. */
    boolean cancel(UUID taskId, int iteration) {
        Run run = active.get(taskId);
        return run != null && run.iteration == iteration && cancel(taskId);
    }

    boolean isRunning(UUID taskId) {
        Run run = active.get(taskId);
        return run != null && !run.reservation();
    }

    /** Runs {@code action} while no run of the task can start here; false, without running it, when one runs. */
    boolean whileNotRunning(UUID taskId, Runnable action) {
        Run reservation = Run.placeHolder();
        if (active.putIfAbsent(taskId, reservation) != null) {
            return false;
        }
        try {
            action.run();
            return true;
        } finally {
            active.remove(taskId, reservation);
        }
    }

    /** Kills every run without a terminal event: each ends {@link RunFailure.Transient}. */
    void abandonAll() {
        active.forEach((taskId, run) -> {
            if (run.reservation()) {
                return;
            }
            log.info("Abandoning task {} because the worker is stopping.", taskId);
            run.abandoned = true;
            Thread.ofVirtual().start(run.scope::cancel);
        });
    }

    int count() {
        return (int) active.values().stream().filter(run -> !run.reservation()).count();
    }

    /** One run's place: its processes, its iteration, and whether the worker abandoned it. */
    static final class Run {
        private final ProcessScope scope;
        private final int iteration;
        private final boolean reservation;
        private volatile boolean abandoned;

        Run(ProcessScope scope, int iteration) {
            this(scope, iteration, false);
        }

        private Run(ProcessScope scope, int iteration, boolean reservation) {
            this.scope = scope;
            this.iteration = iteration;
            this.reservation = reservation;
        }

        /** Holds the task's place while its workspace is deleted; not a run. */
        static Run placeHolder() {
            return new Run(new ProcessScope(Duration.ofSeconds(1), Duration.ZERO), 0, true);
        }

        ProcessScope scope() {
            return scope;
        }

        int iteration() {
            return iteration;
        }

        boolean reservation() {
            return reservation;
        }

        boolean abandoned() {
            return abandoned;
        }
    }
}
