package dev.agentry.worker.workspace;

import dev.agentry.events.task.ChangesSummary;
import dev.agentry.worker.config.WorkerProperties;
import dev.agentry.worker.process.ProcessResult;
import dev.agentry.worker.process.ProcessScope;
import dev.agentry.worker.process.ProcessSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

/**
 * Task workspaces under {@code <workspace-root>/<task id>}. A token reaches git only through the environment of the
 * clone process, read back by a small {@code GIT_ASKPASS} script: never argv, never the remote URL kept in
 * {@code .git/config}, never a log line.
 */
@Component
public class Workspaces {

    private static final Logger log = LoggerFactory.getLogger(Workspaces.class);
    private static final String TOKEN_VARIABLE = "AGENTRY_GIT_TOKEN";
    private static final String ASKPASS = """
            #!/bin/sh
            case "$1" in
              Username*) printf '%s\\n' "x-access-token" ;;
              *) printf '%s\\n' "$AGENTRY_GIT_TOKEN" ;;
            esac
            """;
    private static final Pattern FILES = Pattern.compile("(\\d+) files? changed");
    private static final Pattern INSERTIONS = Pattern.compile("(\\d+) insertions?\\(\\+\\)");
    private static final Pattern DELETIONS = Pattern.compile("(\\d+) deletions?\\(-\\)");

    private final WorkerProperties properties;
    private final Path askpass;

    public Workspaces(WorkerProperties properties) {
        this.properties = properties;
        this.askpass = writeAskpass(properties.workspaceRoot());
    }

    /** Variables every process in a workspace gets: the commit identity of this worker. */
    public Map<String, String> gitIdentity() {
        WorkerProperties.Git git = properties.git();
        return Map.of(
                "GIT_AUTHOR_NAME", git.authorName(),
                "GIT_AUTHOR_EMAIL", git.authorEmail(),
                "GIT_COMMITTER_NAME", git.authorName(),
                "GIT_COMMITTER_EMAIL", git.authorEmail());
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
            int iteration,
            String repoUrl,
            @Nullable String branch,
            @Nullable String token,
            ProcessScope scope,
            Consumer<String> onGitLine) {
        RepositoryUrls.check(repoUrl, properties.allowLocalRepos());
        Path workspace = properties.workspaceRoot().resolve(taskId.toString());
        if (iteration > 1 && Files.isDirectory(workspace.resolve(".git"))) {
            log.info("Task {} iteration {} reuses its workspace.", taskId, iteration);
            return workspace;
        }
        deleteRecursively(workspace);
        List<String> argv = new ArrayList<>(List.of(
                "git",
                "-c",
                "credential.helper=",
                "-c",
                "protocol.ext.allow=never",
                "-c",
                "protocol.file.allow=" + (properties.allowLocalRepos() ? "always" : "never"),
                "clone",
                "--no-tags"));
        if (branch != null && !branch.isBlank()) {
            argv.addAll(List.of("--branch", branch));
        }
        argv.addAll(List.of("--", repoUrl.strip(), workspace.toString()));
        Map<String, String> env = new HashMap<>(gitIdentity());
        env.put("GIT_TERMINAL_PROMPT", "0");
        env.put("GIT_ASKPASS", askpass.toString());
        if (token != null) {
            env.put(TOKEN_VARIABLE, token);
        }
        log.info("Task {} clones {}.", taskId, Redactor.redact(repoUrl, token));
        ProcessResult result;
        try {
            result = scope.run(
                    new ProcessSpec(argv, properties.workspaceRoot(), env, true),
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
        return workspace;
    }

    /** The tree the workspace holds right now, untracked files included, to diff against later. */
    public String snapshot(Path workspace, ProcessScope scope) {
        git(workspace, scope, "add", "-A");
        return git(workspace, scope, "write-tree").trim();
    }

    /** What changed in the workspace since {@link #snapshot}: files, insertions and deletions. */
    public ChangesSummary changesSince(Path workspace, String tree, ProcessScope scope) {
        String now = snapshot(workspace, scope);
        return parseShortstat(git(workspace, scope, "diff", "--shortstat", tree, now));
    }

    static ChangesSummary parseShortstat(String shortstat) {
        return new ChangesSummary(
                number(FILES.matcher(shortstat)),
                number(INSERTIONS.matcher(shortstat)),
                number(DELETIONS.matcher(shortstat)));
    }

    private String git(Path workspace, ProcessScope scope, String... args) {
        List<String> argv = new ArrayList<>(List.of("git"));
        argv.addAll(List.of(args));
        StringBuilder out = new StringBuilder();
        ProcessResult result = scope.run(
                new ProcessSpec(argv, workspace, gitIdentity(), false),
                line -> out.append(line).append('\n'));
        if (!result.succeeded()) {
            throw new IllegalStateException("git " + args[0] + " failed: " + result.errorTail());
        }
        return out.toString();
    }

    private static int number(Matcher matcher) {
        return matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
    }

    private static Path writeAskpass(Path root) {
        try {
            Path dir = Files.createDirectories(root.resolve(".agentry"));
            Path script = dir.resolve("git-askpass.sh");
            Files.writeString(script, ASKPASS);
            Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
            return script;
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot prepare the workspace root " + root, e);
        }
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
