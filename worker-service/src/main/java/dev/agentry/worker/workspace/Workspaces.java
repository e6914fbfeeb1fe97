package dev.agentry.worker.workspace;

import dev.agentry.events.codec.MessageCodec;
import dev.agentry.worker.config.WorkerProperties;
import dev.agentry.worker.git.Git;
import dev.agentry.worker.git.Redactor;
import dev.agentry.worker.git.RepositoryProperties;
import dev.agentry.worker.process.ProcessResult;
import dev.agentry.worker.process.ProcessScope;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

/**
 * Task workspaces under {@code <workspace-root>/<task id>}, each with its metadata in {@code <task id>.json} beside
 * it and the agent's state (Claude Code's config dir, the session transcript a follow-up resumes) in
 * {@code <workspace-root>/.agentry/claude/<task id>}, both outside the git tree. A token reaches git only through the environment of the
 * clone process, read back by a small {@code GIT_ASKPASS} script: never argv, never the remote URL kept in
 * {@code .git/config}, never a log line.
 */
@Component
public class Workspaces {

    private static final Logger log = LoggerFactory.getLogger(Workspaces.class);

    private final WorkerProperties properties;
    private final Git git;
    private final JsonMapper json;
    private final RepositoryUrls urls;

    public Workspaces(WorkerProperties properties, RepositoryProperties repositories, Git git, MessageCodec codec) {
        this.properties = properties;
        this.git = git;
        this.json = codec.mapper();
        this.urls = new RepositoryUrls(
                properties.allowLocalRepos(), repositories.repositoryAllowedNetworks(), InetAddress::getAllByName);
    }

    /** Where a task's workspace is, whether or not it exists. */
    public Path path(UUID taskId) {
        return properties.workspaceRoot().resolve(taskId.toString());
    }

    /** The agent's own state for a task (Claude Code's {@code CLAUDE_CONFIG_DIR}), kept across iterations. */
    public Path agentStateDir(UUID taskId) {
        return properties.workspaceRoot().resolve(".agentry").resolve("claude").resolve(taskId.toString());
    }

    /** The workspace a follow-up iteration works on, when this worker still has it. */
    public Optional<Path> existing(UUID taskId) {
        Path workspace = path(taskId);
        return Files.isDirectory(workspace.resolve(".git")) ? Optional.of(workspace) : Optional.empty();
    }

    /**
     * Records that {@code iteration} starts in the workspace.
     *
     * @return false when that iteration (or a later one) was already started here, so it must not run again
     */
    public synchronized boolean beginIteration(UUID taskId, String tenantId, int iteration) {
        Optional<WorkspaceMetadata> known = metadata(taskId);
        if (known.isPresent() && known.get().iteration() >= iteration) {
            return false;
        }
        Instant now = now();
        writeMetadata(
                taskId,
                known.map(m -> new WorkspaceMetadata(m.tenantId(), m.createdAt(), now, iteration))
                        .orElseGet(() -> new WorkspaceMetadata(tenantId, now, now, iteration)));
        return true;
    }

    /** Marks the workspace as used now, after an iteration. */
    public synchronized void touch(UUID taskId) {
        metadata(taskId)
                .ifPresent(m -> writeMetadata(
                        taskId, new WorkspaceMetadata(m.tenantId(), m.createdAt(), now(), m.iteration())));
    }

    public Optional<WorkspaceMetadata> metadata(UUID taskId) {
        Path file = metadataFile(taskId);
        if (!Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try {
            return Optional.of(json.readValue(file.toFile(), WorkspaceMetadata.class));
        } catch (JacksonException e) {
            log.warn("The metadata of workspace {} cannot be read: {}", taskId, e.getMessage());
            return Optional.empty();
        }
    }

    /** The workspace with its size now, when it is on this disk with its metadata. */
    public Optional<WorkspaceInfo> describe(UUID taskId) {
        if (!Files.isDirectory(path(taskId))) {
            return Optional.empty();
        }
        return metadata(taskId).map(m -> new WorkspaceInfo(taskId, m, sizeOf(taskId)));
    }

    /** Every workspace on this disk that has metadata. */
    public List<WorkspaceInfo> all() {
        List<WorkspaceInfo> all = new ArrayList<>();
        try (Stream<Path> files = Files.list(properties.workspaceRoot())) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (!name.endsWith(".json")) {
                    continue;
                }
                UUID taskId;
                try {
                    taskId = UUID.fromString(name.substring(0, name.length() - ".json".length()));
                } catch (IllegalArgumentException e) {
                    continue;
                }
                describe(taskId).ifPresent(all::add);
            }
        } catch (IOException e) {
            log.warn("The workspace root {} cannot be listed: {}", properties.workspaceRoot(), e.getMessage());
        }
        return all;
    }

    /** Removes the workspace, the agent's state and the metadata of a task. */
    public synchronized void delete(UUID taskId) {
        deleteRecursively(path(taskId));
        deleteRecursively(agentStateDir(taskId));
        try {
            Files.deleteIfExists(metadataFile(taskId));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot delete the metadata of workspace " + taskId, e);
        }
        log.info("Workspace of task {} deleted.", taskId);
    }

    private long sizeOf(UUID taskId) {
        return bytesUnder(path(taskId)) + bytesUnder(agentStateDir(taskId));
    }

    private static long bytesUnder(Path dir) {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        long[] total = {0};
        try {
            Files.walkFileTree(dir, new java.nio.file.SimpleFileVisitor<>() {
                @Override
                public java.nio.file.FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    total[0] += attributes.size();
                    return java.nio.file.FileVisitResult.CONTINUE;
                }

                @Override
                public java.nio.file.FileVisitResult visitFileFailed(Path file, IOException e) {
                    // Deleted while walking (the agent is at work): not counted.
                    return java.nio.file.FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            log.debug("Size of {} is partial: {}", dir, e.getMessage());
        }
        return total[0];
    }

    private Path metadataFile(UUID taskId) {
        return properties.workspaceRoot().resolve(taskId + ".json");
    }

    private void writeMetadata(UUID taskId, WorkspaceMetadata metadata) {
        Path file = metadataFile(taskId);
        Path temp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.write(temp, json.writeValueAsBytes(metadata));
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot write the metadata of workspace " + taskId, e);
        }
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }

    /**
     * The workspace of a task, ready to work in. A follow-up iteration works on in the workspace it left behind
     * when this worker still has it; otherwise (first iteration, a redelivery after a lost worker, another worker's
     * follow-up) the repository is cloned afresh.
     *
     * @param onGitLine each line git prints, credentials removed
     * @throws RefusedRepositoryException when the URL is not allowed here
     * @throws CloneFailedException when git fails
     */
    public Path prepare(
            UUID taskId,
            String tenantId,
            int iteration,
            String repoUrl,
            @Nullable String branch,
            @Nullable String token,
            ProcessScope scope,
            Consumer<String> onGitLine) {
        RepositoryUrls.Checked checked = urls.check(repoUrl);
        Path workspace = path(taskId);
        if (iteration > 1 && Files.isDirectory(workspace.resolve(".git"))) {
            log.info("Task {} iteration {} reuses its workspace.", taskId, iteration);
            beginIteration(taskId, tenantId, iteration);
            return workspace;
        }
        deleteRecursively(workspace);
        try {
            Files.deleteIfExists(metadataFile(taskId));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot clear the old workspace metadata of " + taskId, e);
        }
        List<String> args = new ArrayList<>(List.of("clone", "--no-tags"));
        if (branch != null && !branch.isBlank()) {
            args.addAll(List.of("--branch", branch));
        }
        args.addAll(List.of("--", repoUrl.strip(), workspace.toString()));
        log.info("Task {} clones {}.", taskId, Redactor.redact(repoUrl, token));
        ProcessResult result;
        try {
            result = git.remote(
                    properties.workspaceRoot(),
                    scope,
                    token,
                    checked.gitSettings(),
                    args,
                    line -> onGitLine.accept(Redactor.redact(line, token)));
        } catch (UncheckedIOException e) {
            throw new CloneFailedException(Redactor.redact(e.getMessage(), token));
        }
        if (!result.succeeded()) {
            String tail = result.lastErrorLines().stream()
                    .filter(line -> !line.startsWith("Cloning into"))
                    .reduce((a, b) -> a + "\n" + b)
                    .orElse("git exited with " + result.exitCode());
            throw new CloneFailedException(Redactor.redact(tail, token));
        }
        beginIteration(taskId, tenantId, iteration);
        return workspace;
    }

    /**
     * An empty scratch workspace for a first iteration without a repository (a seed 002 mission): a fresh git
     * repository with one empty commit, so that changes are counted and committed as in a cloned one. A follow-up
     * reuses it like a clone's.
     */
    public Path scratch(UUID taskId, String tenantId, int iteration, ProcessScope scope) {
        Path workspace = path(taskId);
        if (iteration > 1 && Files.isDirectory(workspace.resolve(".git"))) {
            beginIteration(taskId, tenantId, iteration);
            return workspace;
        }
        deleteRecursively(workspace);
        try {
            Files.deleteIfExists(metadataFile(taskId));
            Files.createDirectories(workspace);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot create the scratch workspace of " + taskId, e);
        }
        git.run(workspace, scope, "init", "--quiet", "--initial-branch=main");
        git.run(workspace, scope, "commit", "--quiet", "--allow-empty", "--message", "Scratch workspace");
        log.info("Task {} works in an empty scratch workspace.", taskId);
        beginIteration(taskId, tenantId, iteration);
        return workspace;
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot clear the old workspace " + dir, e);
        }
    }
}
