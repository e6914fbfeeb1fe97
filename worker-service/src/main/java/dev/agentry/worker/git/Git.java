package dev.agentry.worker.git;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Runs git for the workspace and the pull-request features, the same hardened way every time. A workspace is the
 * agent's: it may have written {@code .git/config} or hooks, so every call turns off what would run a command or
 * hand a credential on ({@code core.hooksPath=/dev/null}, {@code core.fsmonitor=false}, no credential helper, no
 * pager, no signing program), allows {@code https} only ({@code file} where local repositories are allowed, plain
 * {@code http} where the operator allowed a repository network), follows no redirect, and before running in a
 * workspace strips its configuration to an allow list ({@link RepositoryConfig}: no filters, diff or merge drivers,
 * aliases or includes). Only {@link #remote} carries a token, in the process environment, read back by a
 * {@code GIT_ASKPASS} script.
 */
@Component
public class Git {

    private static final String TOKEN_VARIABLE = "AGENTRY_GIT_TOKEN";
    private static final String ORIGIN_VARIABLE = "AGENTRY_GIT_TOKEN_ORIGIN";
    /**
     * git asks {@code Username for 'https://host:port': } and {@code Password for 'https://user@host:port': }; the
     * token is the answer only for the origin the worker named (the repository it clones or pushes to), never for
     * a host a redirect, a submodule or an agent's configuration would lead git to.
     */
    static final String ASKPASS = """
            #!/bin/sh
            asked=${1#*\\'}
            asked=${asked%\\'*}
            scheme=${asked%%://*}
            rest=${asked#*://}
            rest=${rest#*@}
            if [ -z "$AGENTRY_GIT_TOKEN_ORIGIN" ] || [ "$scheme://$rest" != "$AGENTRY_GIT_TOKEN_ORIGIN" ]; then
              echo "agentry: no credential for $scheme://$rest" >&2
              exit 1
            fi
            case "$1" in
              Username*) printf '%s\\n' "x-access-token" ;;
              *) printf '%s\\n' "$AGENTRY_GIT_TOKEN" ;;
            esac
            """;

    private final WorkerProperties properties;
    private final boolean plainHttp;
    private final Path askpass;

    public Git(WorkerProperties properties, RepositoryProperties repositories) {
        this.properties = properties;
        this.plainHttp = !repositories.repositoryAllowedNetworks().isEmpty();
        this.askpass = writeAskpass(properties.workspaceRoot());
    }

    /** Variables every process in a workspace gets: the commit identity of this worker. */
    public Map<String, String> identity() {
        WorkerProperties.Git git = properties.git();
        return Map.of(
                "GIT_AUTHOR_NAME", git.authorName(),
                "GIT_AUTHOR_EMAIL", git.authorEmail(),
                "GIT_COMMITTER_NAME", git.authorName(),
                "GIT_COMMITTER_EMAIL", git.authorEmail());
    }

    /**
     * Runs a local git command and returns what it printed on stdout.
     *
     * @throws IllegalStateException naming the command and git's last error lines when it fails
     */
    public String run(Path directory, ProcessScope scope, String... args) {
        StringBuilder out = new StringBuilder();
        ProcessResult result = local(directory, scope, out, args);
        if (!result.succeeded()) {
            throw new IllegalStateException("git " + args[0] + " failed: " + result.errorTail());
        }
        return out.toString();
    }

    /** Runs a local git command; its stripped stdout, or empty when it failed. */
    public Optional<String> optional(Path directory, ProcessScope scope, String... args) {
        StringBuilder out = new StringBuilder();
        ProcessResult result = local(directory, scope, out, args);
        return result.succeeded() ? Optional.of(out.toString().strip()) : Optional.empty();
    }

    /** Whether a local git command exits 0 (a question such as {@code diff --cached --quiet}). */
    public boolean succeeds(Path directory, ProcessScope scope, String... args) {
        return local(directory, scope, new StringBuilder(), args).succeeded();
    }

    /**
     * Runs a git command that talks to a remote (clone, push) with the task's token, stdout and stderr merged and
     * handed to {@code onLine} as git prints them (not yet redacted: the caller knows the token).
     *
     * @throws UncheckedIOException when git cannot be started
     */
    public ProcessResult remote(
            Path directory, ProcessScope scope, @Nullable String token, List<String> args, Consumer<String> onLine) {
        return remote(directory, scope, token, List.of(), args, onLine);
    }

    /** {@link #remote} with more {@code name=value} settings for this one command (a pinned resolution). */
    public ProcessResult remote(
            Path directory,
            ProcessScope scope,
            @Nullable String token,
            List<String> settings,
            List<String> args,
            Consumer<String> onLine) {
        Map<String, String> env = new HashMap<>(identity());
        env.put("GIT_TERMINAL_PROMPT", "0");
        env.put("GIT_ASKPASS", askpass.toString());
        Optional<String> origin = token == null ? Optional.empty() : CredentialOrigin.of(args);
        if (token != null && origin.isPresent()) {
            env.put(TOKEN_VARIABLE, token);
            env.put(ORIGIN_VARIABLE, origin.get());
        }
        sanitize(directory, scope);
        List<String> withSettings = new ArrayList<>();
        for (String setting : settings) {
            withSettings.addAll(List.of("-c", setting));
        }
        withSettings.addAll(args);
        return scope.run(new ProcessSpec(argv(withSettings), directory, env, true), onLine);
    }

    private ProcessResult local(Path directory, ProcessScope scope, StringBuilder out, String... args) {
        sanitize(directory, scope);
        return scope.run(
                new ProcessSpec(argv(List.of(args)), directory, identity(), false),
                line -> out.append(line).append('\n'));
    }

    private void sanitize(Path directory, ProcessScope scope) {
        if (RepositoryConfig.isWorkTree(directory)) {
            RepositoryConfig.sanitize(directory, argv(List.of()), identity(), scope);
        }
    }

    private List<String> argv(List<String> args) {
        List<String> argv = new ArrayList<>(List.of("git"));
        for (String setting : List.of(
                "credential.helper=",
                "core.hooksPath=/dev/null",
                "core.fsmonitor=false",
                "core.pager=cat",
                "core.editor=false",
                "sequence.editor=false",
                "diff.external=",
                "commit.gpgSign=false",
                "tag.gpgSign=false",
                "submodule.recurse=false",
                "protocol.allow=never",
                "protocol.https.allow=always",
                "protocol.http.allow=" + (plainHttp ? "always" : "never"),
                "protocol.file.allow=" + (properties.allowLocalRepos() ? "always" : "never"),
                "http.followRedirects=false")) {
            argv.addAll(List.of("-c", setting));
        }
        argv.addAll(args);
        return argv;
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
}
