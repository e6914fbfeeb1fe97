package dev.agentry.worker.workspace;

import java.util.UUID;

/** A workspace on this worker's disk, as reported: its metadata and its size (workspace plus agent state). */
public record WorkspaceInfo(UUID taskId, WorkspaceMetadata metadata, long sizeBytes) {}
