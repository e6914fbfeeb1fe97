package dev.agentry.events.task;

import java.time.Instant;

/** The workspace exists on {@code workerId}, with its size on disk; sent after each iteration and periodically. */
public record WorkspaceReported(String workerId, long sizeBytes, Instant createdAt, Instant lastUsedAt)
        implements WorkspaceEvent {

    public static final String TYPE = "workspace.reported";

    @Override
    public String type() {
        return TYPE;
    }
}
