package dev.agentry.api.mission;

import org.jspecify.annotations.Nullable;

/**
 * The body of {@code POST /api/v1/execute} and {@code /execute/stream}, seed 002's {@code ExecuteMissionRequest}
 * (snake_case). Every member is nullable so that the service, not the binder, names what is missing.
 *
 * @param profile the profile a new session runs with; {@code dev} when absent. A session keeps the profile its
 *     first mission started with.
 * @param sessionId an existing session to continue (or, when it is paused, to answer); absent starts a new one
 */
record ExecuteRequest(
        @Nullable String mission,
        @Nullable String profile,
        @Nullable String sessionId) {}
