package dev.agentry.events.schedule;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

/**
 * A conversation's schedule came due. The API turns it into a scheduled turn, at most once per
 * {@code (conversation, fireTime)}; a firing whose {@code scheduleVersion} is older than the conversation's
 * schedule, or that finds the previous turn still running, is recorded as skipped.
 *
 * @param scheduleVersion the conversation's {@code schedule_version} the scheduler computed this firing from
 * @param fireTime the instant the schedule named (not when it was published)
 * @param catchUp the scheduler was behind (down, or the instant passed unseen): this one firing stands for every
 *     instant missed up to now
 */
public record ScheduleFired(int scheduleVersion, Instant fireTime, boolean catchUp) implements ScheduleCommand {

    public static final String TYPE = "schedule.fired";

    @Override
    public String type() {
        return TYPE;
    }

    /**
     * The envelope id of the firing of {@code conversationId} at {@code fireTime}: the same on every publish, so a
     * republish after a crash, or by a second scheduler, is recognisably the same message.
     */
    public static UUID envelopeId(UUID conversationId, Instant fireTime) {
        String name = TYPE + ":" + conversationId + ":" + fireTime;
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8));
    }
}
