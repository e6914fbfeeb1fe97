package dev.agentry.worker.runtime;

import dev.agentry.worker.process.ProcessScope;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * One run of a runtime.
 *
 * @param workspace the cloned repository, the processes' working directory; null for runtimes that need none
 * @param aiApiKey the task's own AI provider key, already opened; null means the worker's default
 * @param env variables every process of the run gets (the git identity)
 * @param processes where the run starts its processes: the task's deadline and cancellation
 */
public record RuntimeRequest(
        UUID taskId,
        int iteration,
        String prompt,
        @Nullable Path workspace,
        @Nullable String model,
        @Nullable Integer maxTurns,
        @Nullable BigDecimal maxBudgetUsd,
        @Nullable String aiApiKey,
        Map<String, String> env,
        ProcessScope processes) {

    public RuntimeRequest {
        env = Map.copyOf(env);
    }

    /** The working directory for processes: the workspace, or a neutral directory when there is none. */
    public Path directory() {
        return workspace != null ? workspace : Path.of(System.getProperty("java.io.tmpdir"));
    }

    @Override
    public String toString() {
        return "RuntimeRequest[taskId=" + taskId + ", iteration=" + iteration + ", workspace=" + workspace + ", model="
                + model + ", aiApiKey=" + (aiApiKey == null ? "" : "***") + "]";
    }
}
