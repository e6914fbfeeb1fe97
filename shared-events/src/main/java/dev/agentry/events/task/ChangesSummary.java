package dev.agentry.events.task;

/** What an iteration changed in the workspace, from {@code git diff --shortstat}. */
public record ChangesSummary(int filesChanged, int insertions, int deletions) {

    public static final ChangesSummary NONE = new ChangesSummary(0, 0, 0);
}
