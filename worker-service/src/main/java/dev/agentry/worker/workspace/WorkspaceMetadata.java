package dev.agentry.worker.workspace;

import java.time.Instant;

/**
 * What a worker keeps about a workspace in {@code <workspace-root>/<task id>.json}, beside it and outside the git
 * tree: whose it is and how recently it was used. No secrets.
 *
 * @param tenantId the task's tenant, for the key and tenant of workspace events
 * @param iteration the latest iteration started in the workspace; a follow-up for an iteration at or below it was
 *     already taken (a control message read twice after a restart) and is not run again
 */
public record WorkspaceMetadata(String tenantId, Instant createdAt, Instant lastUsedAt, int iteration) {}
