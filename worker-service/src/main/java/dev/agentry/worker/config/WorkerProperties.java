package dev.agentry.worker.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Everything a worker can be told, under {@code agentry.worker}. Every property is documented in the README.
 *
 * @param workerId names this worker in events; defaults to the host name plus a random suffix, so replicas on one
 *     host differ
 * @param concurrency how many tasks run at once: one share-group consumer and one thread per slot
 * @param workspaceRoot where each task's repository is cloned, as {@code <root>/<task id>}
 * @param allowLocalRepos whether {@code file://} URLs and local paths may be cloned (tests and the local platform)
 * @param heartbeatInterval how often a running task emits {@code task.heartbeat}
 * @param killGracePeriod how long a process tree gets between SIGTERM and SIGKILL
 * @param shareGroupId the Kafka share group all workers consume task commands in
 * @param lockDuration the acquisition lock set on the share group; renewed every third of it while a task runs,
 *     so a worker that dies releases its task to another after at most this long
 * @param maxAttempts deliveries of one command after which it is failed ({@code worker_lost}) instead of run
 *     again; keep it below the group's {@code share.delivery.count.limit} (5)
 * @param commandPartitions partitions of {@code agentry.task.commands} when the worker creates it. Keep it well
 *     below the number of slots of all workers together: a share group assigns each partition to a subset of its
 *     members, so records on a partition whose members are all busy wait although other slots are idle. One
 *     partition makes every slot of every worker compete for every command
 * @param eventPartitions partitions of {@code agentry.task.events} when the worker creates it
 * @param workspaceMaxAge workspaces unused for longer are deleted by the cleanup (never while a task runs there)
 * @param workspaceCleanupInterval how often the cleanup looks for expired workspaces
 * @param workspaceReportInterval how often every workspace on disk is reported ({@code workspace.reported})
 * @param cancellationMemory how long a cancelled task is remembered, so its command never starts here
 */
@Validated
@ConfigurationProperties("agentry.worker")
public record WorkerProperties(
        String workerId,
        @Min(1) @Max(256) int concurrency,
        @NotNull Path workspaceRoot,
        boolean allowLocalRepos,
        @NotNull Duration heartbeatInterval,
        @NotNull Duration killGracePeriod,
        @NotBlank String shareGroupId,
        @NotNull Duration lockDuration,
        @Min(1) @Max(4) int maxAttempts,
        @Min(1) int commandPartitions,
        @Min(1) int eventPartitions,
        @NotNull Duration workspaceMaxAge,
        @NotNull Duration workspaceCleanupInterval,
        @NotNull Duration workspaceReportInterval,
        @NotNull Duration cancellationMemory,
        @Valid ClaudeCode claudeCode,
        @Valid Command command,
        @Valid Git git) {

    public WorkerProperties(
            @Nullable String workerId,
            @DefaultValue("4") int concurrency,
            @Nullable Path workspaceRoot,
            @DefaultValue("false") boolean allowLocalRepos,
            @DefaultValue("10s") Duration heartbeatInterval,
            @DefaultValue("5s") Duration killGracePeriod,
            @DefaultValue("agentry-workers") String shareGroupId,
            @DefaultValue("60s") Duration lockDuration,
            @DefaultValue("3") int maxAttempts,
            @DefaultValue("1") int commandPartitions,
            @DefaultValue("8") int eventPartitions,
            @DefaultValue("72h") Duration workspaceMaxAge,
            @DefaultValue("10m") Duration workspaceCleanupInterval,
            @DefaultValue("60s") Duration workspaceReportInterval,
            @DefaultValue("24h") Duration cancellationMemory,
            @DefaultValue ClaudeCode claudeCode,
            @DefaultValue Command command,
            @DefaultValue Git git) {
        this.workerId = workerId == null || workerId.isBlank() ? defaultWorkerId() : workerId;
        this.concurrency = concurrency;
        this.workspaceRoot = workspaceRoot == null
                ? Path.of(System.getProperty("java.io.tmpdir"), "agentry-workspaces")
                : workspaceRoot;
        this.allowLocalRepos = allowLocalRepos;
        this.heartbeatInterval = heartbeatInterval;
        this.killGracePeriod = killGracePeriod;
        this.shareGroupId = shareGroupId;
        this.lockDuration = lockDuration;
        this.maxAttempts = maxAttempts;
        this.commandPartitions = commandPartitions;
        this.eventPartitions = eventPartitions;
        this.workspaceMaxAge = workspaceMaxAge;
        this.workspaceCleanupInterval = workspaceCleanupInterval;
        this.workspaceReportInterval = workspaceReportInterval;
        this.cancellationMemory = cancellationMemory;
        this.claudeCode = claudeCode;
        this.command = command;
        this.git = git;
    }

    /**
     * The Claude Code CLI runtime ({@code claude-code}).
     *
     * @param cliPath the {@code claude} executable, a path or a name on {@code PATH}
     * @param baseUrl {@code ANTHROPIC_BASE_URL} for the CLI; unset means Anthropic's own API
     * @param apiKey the default {@code ANTHROPIC_API_KEY} when a task brings none
     * @param permissionMode {@code --permission-mode}
     * @param model the default {@code --model} when a task names none
     */
    public record ClaudeCode(
            @DefaultValue("claude") @NotBlank String cliPath,
            @Nullable String baseUrl,
            @Nullable String apiKey,
            @DefaultValue("acceptEdits") @NotBlank String permissionMode,
            @Nullable String model) {

        @Override
        public String toString() {
            return "ClaudeCode[cliPath=" + cliPath + ", baseUrl=" + baseUrl + ", apiKey="
                    + (apiKey == null ? "" : "***") + ", permissionMode=" + permissionMode + ", model=" + model + "]";
        }
    }

    /**
     * The generic command runtime ({@code command}).
     *
     * @param argv the command line, each element one argument; {@code {prompt}} and {@code {workspace}} are replaced
     *     inside elements. Empty (the default) disables the runtime: it runs whatever a task's prompt says
     * @param network whether the command shares the worker's network; by default it runs with none at all
     */
    public record Command(
            @DefaultValue List<String> argv,
            @DefaultValue("false") boolean network) {

        public Command {
            argv = List.copyOf(argv);
        }
    }

    /** The identity of commits a worker makes, also handed to agents through {@code GIT_AUTHOR_*}. */
    public record Git(
            @DefaultValue("Agentry") @NotBlank String authorName,
            @DefaultValue("agentry@localhost") @NotBlank String authorEmail) {}

    private static String defaultWorkerId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "worker";
        }
        return host + "-" + UUID.randomUUID().toString().substring(0, 8);
    }
}
