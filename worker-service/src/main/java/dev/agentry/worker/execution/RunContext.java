package dev.agentry.worker.execution;

import dev.agentry.events.Envelope;
import dev.agentry.events.task.RunTask;
import dev.agentry.worker.process.ProcessScope;
import dev.agentry.worker.runtime.AgentRuntime;
import dev.agentry.worker.runtime.McpServerConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/** One run of a command as it goes through its steps: what came in, and what each step found out for the next. */
final class RunContext {

    final Envelope<RunTask> command;
    final RunTask task;
    final int attempt;
    final boolean followUp;
    final TaskEventStream events;
    final ActiveRuns.Run run;
    private final long takenUpNanos = System.nanoTime();

    // Found by prepare.
    @Nullable
    AgentRuntime runtime;

    @Nullable
    String token;

    @Nullable
    String aiApiKey;

    List<McpServerConfig> mcpServers = List.of();

    @Nullable
    Path workspace;

    // Set once the run is under way.
    @Nullable
    Instant started;

    RunContext(Envelope<RunTask> command, int attempt, boolean followUp, TaskEventStream events, ActiveRuns.Run run) {
        this.command = command;
        this.task = command.payload();
        this.attempt = attempt;
        this.followUp = followUp;
        this.events = events;
        this.run = run;
    }

    UUID taskId() {
        return command.aggregateId();
    }

    int iteration() {
        return task.iteration();
    }

    ProcessScope scope() {
        return run.scope();
    }

    /** Whether this run clones the repository (a first iteration of a runtime with a workspace). */
    boolean clones() {
        return runtime != null && runtime.needsWorkspace() && !followUp;
    }

    /** Since this worker took the command up, whatever steps it went through. */
    Duration elapsed() {
        return Duration.ofNanos(System.nanoTime() - takenUpNanos);
    }

    long seconds() {
        return started == null ? 0 : Duration.between(started, Instant.now()).toSeconds();
    }
}
