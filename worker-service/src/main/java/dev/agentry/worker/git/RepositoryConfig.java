package dev.agentry.worker.git;

import dev.agentry.worker.process.ProcessResult;
import dev.agentry.worker.process.ProcessScope;
import dev.agentry.worker.process.ProcessSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Keeps a workspace's repository configuration to what the worker's own git needs, before the worker runs git
 * there. The agent can write {@code .git/config}: a filter driver, a diff driver or {@code textconv}, a merge
 * driver, a pager, a gpg program, an alias, an {@code include} of another file, a {@code core.worktree} elsewhere
 * would each make the worker's {@code add}, {@code diff} or {@code commit} run the agent's command outside its
 * sandbox, or work on another tree. Rather than chase every such key, everything outside a short allow list of
 * plain repository facts is removed. The agent's {@code .git} must be a directory of the workspace (not a link
 * or a {@code gitdir:} file into another task's repository), and object alternates, which would lend it another
 * repository's objects, are removed too.
 */
final class RepositoryConfig {

    private static final Pattern KEPT = Pattern.compile(String.join(
            "|",
            "core\\.(repositoryformatversion|filemode|bare|logallrefupdates|ignorecase|precomposeunicode|symlinks)",
            "extensions\\.objectformat",
            "remote\\.[^\\n]+\\.(url|fetch)",
            "branch\\.[^\\n]+\\.(remote|merge)",
            "agentry\\.[a-z-]+"));

    private RepositoryConfig() {}

    /** Whether {@code directory} is a workspace (a work tree with a {@code .git} entry) rather than a bare repository. */
    static boolean isWorkTree(Path directory) {
        return Files.exists(directory.resolve(".git"), LinkOption.NOFOLLOW_LINKS);
    }

    /**
     * Removes what the worker's git must not take from the workspace's configuration.
     *
     * @param base the hardened git command line to run {@code git config} with
     * @throws IllegalStateException when {@code .git} is not a plain directory of the workspace
     */
    static void sanitize(Path workspace, List<String> base, Map<String, String> env, ProcessScope scope) {
        Path gitDir = workspace.resolve(".git");
        if (!Files.isDirectory(gitDir, LinkOption.NOFOLLOW_LINKS)) {
            throw new IllegalStateException(
                    "the workspace's .git is not a directory of the workspace; not running git" + " in it");
        }
        try {
            Files.deleteIfExists(gitDir.resolve("objects").resolve("info").resolve("alternates"));
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot remove object alternates from " + gitDir, e);
        }
        for (String name : foreignNames(workspace, base, env, scope)) {
            List<String> unset = new ArrayList<>(base);
            unset.addAll(List.of("config", "--local", "--unset-all", name));
            ProcessResult result = scope.run(new ProcessSpec(unset, workspace, env, true), line -> {});
            // A name git will not unset one by one (an odd subsection): drop its whole section instead.
            if (!result.succeeded() && name.contains(".")) {
                List<String> removeSection = new ArrayList<>(base);
                removeSection.addAll(
                        List.of("config", "--local", "--remove-section", name.substring(0, name.lastIndexOf('.'))));
                scope.run(new ProcessSpec(removeSection, workspace, env, true), line -> {});
            }
        }
    }

    /** Names of the local configuration outside the allow list, as git spells them. */
    private static Set<String> foreignNames(
            Path workspace, List<String> base, Map<String, String> env, ProcessScope scope) {
        List<String> list = new ArrayList<>(base);
        // One name a line: git refuses a newline in a subsection name, and process output reaches us as text lines
        // with control characters (NUL included) replaced, so -z would not survive the trip.
        list.addAll(List.of("config", "--local", "--no-includes", "--list", "--name-only"));
        StringBuilder out = new StringBuilder();
        ProcessResult result = scope.run(
                new ProcessSpec(list, workspace, env, false),
                line -> out.append(line).append('\n'));
        if (!result.succeeded()) {
            throw new IllegalStateException("git config --list failed: " + result.errorTail());
        }
        Set<String> foreign = new LinkedHashSet<>();
        for (String name : out.toString().split("\n")) {
            String trimmed = name.strip();
            if (!trimmed.isEmpty() && !KEPT.matcher(trimmed).matches()) {
                foreign.add(trimmed);
            }
        }
        return foreign;
    }
}
