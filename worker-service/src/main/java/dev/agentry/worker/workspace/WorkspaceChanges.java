package dev.agentry.worker.workspace;

import dev.agentry.events.task.ChangesSummary;
import dev.agentry.worker.git.Git;
import dev.agentry.worker.process.ProcessScope;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * What an iteration changed in its workspace: the tree is snapshotted ({@code git add -A; git write-tree},
 * untracked files included) before the runtime and diffed against the tree after it.
 */
@Component
public class WorkspaceChanges {

    private static final Pattern FILES = Pattern.compile("(\\d+) files? changed");
    private static final Pattern INSERTIONS = Pattern.compile("(\\d+) insertions?\\(\\+\\)");
    private static final Pattern DELETIONS = Pattern.compile("(\\d+) deletions?\\(-\\)");

    private final Git git;

    WorkspaceChanges(Git git) {
        this.git = git;
    }

    /** The tree the workspace holds right now, untracked files included, to diff against later. */
    public String snapshot(Path workspace, ProcessScope scope) {
        git.run(workspace, scope, "add", "-A");
        return git.run(workspace, scope, "write-tree").trim();
    }

    /** What changed in the workspace since {@link #snapshot}: files, insertions and deletions. */
    public ChangesSummary since(Path workspace, String tree, ProcessScope scope) {
        String now = snapshot(workspace, scope);
        return parseShortstat(git.run(workspace, scope, "diff", "--no-ext-diff", "--shortstat", tree, now));
    }

    static ChangesSummary parseShortstat(String shortstat) {
        return new ChangesSummary(
                number(FILES.matcher(shortstat)),
                number(INSERTIONS.matcher(shortstat)),
                number(DELETIONS.matcher(shortstat)));
    }

    private static int number(Matcher matcher) {
        return matcher.find() ? Integer.parseInt(matcher.group(1)) : 0;
    }
}
