package dev.agentry.api.mission;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A session: its first mission, its profile, and the task whose iterations its missions are.
 *
 * @param message the latest mission's final message, question (paused) or error (failed)
 * @param taskId null until its first mission starts
 * @param iteration the iteration of the task the latest mission is; 0 before the first
 */
record Session(
        UUID id,
        String tenantId,
        String userId,
        String profile,
        String mission,
        SessionStatus status,
        @Nullable String message,
        @Nullable UUID taskId,
        int iteration,
        Instant createdAt,
        Instant updatedAt) {}
