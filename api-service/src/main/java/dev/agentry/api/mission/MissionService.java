package dev.agentry.api.mission;

import dev.agentry.api.config.ApiProperties;
import dev.agentry.api.error.ConflictException;
import dev.agentry.api.error.InvalidRequestException;
import dev.agentry.api.error.NotFoundException;
import dev.agentry.api.owned.Owner;
import dev.agentry.api.profile.MissionProfiles;
import dev.agentry.api.profile.Profile;
import dev.agentry.api.stream.IterationWaits;
import dev.agentry.api.support.PageCursor;
import dev.agentry.api.task.LoggedEvent;
import dev.agentry.api.task.MissionRun;
import dev.agentry.api.task.MissionTasks;
import dev.agentry.api.task.TaskLog;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Sessions and the missions they run. Starting a mission writes the session and its task's command in one
 * transaction (the task pipeline's outbox does the rest); nothing here runs a mission.
 */
@Service
class MissionService {

    private static final Logger log = LoggerFactory.getLogger(MissionService.class);
    static final String SESSION_NOT_FOUND = "Session not found";

    private final Sessions sessions;
    private final MissionProfiles profiles;
    private final MissionTasks missions;
    private final TaskLog taskLog;
    private final IterationWaits waits;
    private final TransactionTemplate transactions;
    private final int maxMissionBytes;

    MissionService(
            Sessions sessions,
            MissionProfiles profiles,
            MissionTasks missions,
            TaskLog taskLog,
            IterationWaits waits,
            TransactionTemplate transactions,
            ApiProperties properties) {
        this.sessions = sessions;
        this.profiles = profiles;
        this.missions = missions;
        this.taskLog = taskLog;
        this.waits = waits;
        this.transactions = transactions;
        this.maxMissionBytes = properties.maxPromptBytes();
    }

    /** A mission under way: its iteration of the session's task, and the log position it starts after. */
    record Started(
            Session session,
            UUID taskId,
            int iteration,
            long after,
            @Nullable Integer maxSteps) {}

    Started execute(Owner owner, @Nullable ExecuteRequest request) {
        if (request == null) {
            throw InvalidRequestException.field("mission", "is required");
        }
        String mission = mission(request.mission());
        String profileName = request.profile() == null ? "dev" : request.profile();
        if (request.sessionId() == null) {
            Profile profile = profiles.get(owner.tenant(), profileName);
            return Objects.requireNonNull(transactions.execute(tx -> startNew(owner, mission, profile)));
        }
        UUID id = sessionId(request.sessionId());
        reconcile(owner, id);
        return Objects.requireNonNull(transactions.execute(tx -> continueSession(owner, id, mission)));
    }

    Session create(Owner owner, @Nullable String mission, @Nullable String profileName) {
        String text = mission == null ? "" : mission;
        if (text.getBytes(StandardCharsets.UTF_8).length > maxMissionBytes) {
            throw InvalidRequestException.field("mission", "must be at most " + maxMissionBytes + " bytes");
        }
        Profile profile = profiles.get(owner.tenant(), profileName == null ? "dev" : profileName);
        Instant now = now();
        Session session = new Session(
                UUID.randomUUID(),
                owner.tenant().value(),
                owner.userId(),
                profile.name(),
                text,
                SessionStatus.CREATED,
                null,
                null,
                0,
                now,
                now);
        sessions.insert(session);
        return session;
    }

    Session get(Owner owner, UUID id) {
        reconcile(owner, id);
        return owned(owner, id, false);
    }

    record Page(List<Session> sessions, @Nullable String nextCursor) {}

    Page list(Owner owner, @Nullable String status, @Nullable String profile, @Nullable String cursor, int limit) {
        SessionStatus filter = null;
        if (status != null) {
            filter = SessionStatus.fromWire(status)
                    .orElseThrow(() -> InvalidRequestException.field(
                            "status", "must be one of created, in_progress, completed, failed, paused"));
        }
        if (limit < 1 || limit > 100) {
            throw InvalidRequestException.field("limit", "must be between 1 and 100");
        }
        PageCursor after = null;
        if (cursor != null) {
            after = PageCursor.decode(cursor)
                    .orElseThrow(() -> InvalidRequestException.field("cursor", "is not a cursor of this API"));
        }
        List<Session> rows = sessions.page(owner, filter, profile, after, limit + 1);
        if (rows.size() <= limit) {
            return new Page(rows, null);
        }
        Session last = rows.get(limit - 1);
        return new Page(rows.subList(0, limit), new PageCursor(last.createdAt(), last.id()).encode());
    }

    /** The running mission of a session, for a stream that resumes it; 404 when none runs or ran. */
    Started current(Owner owner, String sessionId) {
        Session session = owned(owner, sessionId(sessionId), false);
        if (session.taskId() == null) {
            throw new NotFoundException("session not running", "Session " + session.id() + " has run no mission.");
        }
        return new Started(session, session.taskId(), session.iteration(), 0, null);
    }

    void cancel(Owner owner, UUID id) {
        reconcile(owner, id);
        Session session = owned(owner, id, false);
        if (session.status() != SessionStatus.IN_PROGRESS || session.taskId() == null) {
            throw new NotFoundException("session not running", "No active execution found for session '" + id + "'.");
        }
        missions.cancel(owner.tenant(), session.taskId());
        log.info("Mission {} of session {} cancelled by request.", session.iteration(), id);
    }

    /** Records how a session's mission ended; a repeat, or an end of an iteration no session runs, is ignored. */
    void ended(LoggedEvent end) {
        int iteration = end.data().path("iteration").asInt(-1);
        if (sessions.ended(end.taskId(), iteration, MissionOutcome.of(end))) {
            log.info("Session of task {} finished mission {}.", end.taskId(), iteration);
        }
    }

    private Started startNew(Owner owner, String mission, Profile profile) {
        Instant now = now();
        UUID id = UUID.randomUUID();
        sessions.insert(new Session(
                id,
                owner.tenant().value(),
                owner.userId(),
                profile.name(),
                mission,
                SessionStatus.IN_PROGRESS,
                null,
                null,
                0,
                now,
                now));
        return first(owner, id, mission, profile, now);
    }

    private Started first(Owner owner, UUID id, String mission, Profile profile, Instant now) {
        UUID taskId = missions.start(owner.tenant(), run(mission, profile));
        sessions.running(id, taskId, 1, now);
        log.info("Session {} of tenant {} started its first mission as task {}.", id, owner.tenant(), taskId);
        return new Started(owned(owner, id, false), taskId, 1, 0, profile.maxTurns());
    }

    private Started continueSession(Owner owner, UUID id, String mission) {
        Session session = owned(owner, id, true);
        if (session.status() == SessionStatus.IN_PROGRESS) {
            throw new ConflictException(
                    "session running",
                    "Session " + id + " is still running a mission; wait for it to end or cancel it.");
        }
        Profile profile = profiles.get(owner.tenant(), session.profile());
        if (session.taskId() == null) {
            return first(owner, id, mission, profile, now());
        }
        long after = taskLog.lastSeq(owner.tenant(), session.taskId());
        int iteration = missions.continueWith(owner.tenant(), session.taskId(), mission);
        sessions.running(id, session.taskId(), iteration, now());
        log.info("Session {} of tenant {} continues with mission {}.", id, owner.tenant(), iteration);
        return new Started(owned(owner, id, false), session.taskId(), iteration, after, profile.maxTurns());
    }

    /** A session left in progress although its mission ended (the projection was lost) takes the end now. */
    private void reconcile(Owner owner, UUID id) {
        Session session = owned(owner, id, false);
        if (session.status() != SessionStatus.IN_PROGRESS || session.taskId() == null) {
            return;
        }
        try {
            waits.awaitEnd(owner.tenant(), session.taskId(), session.iteration(), 0, Duration.ZERO)
                    .ifPresent(this::ended);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private Session owned(Owner owner, UUID id, boolean lock) {
        Session session = sessions.find(id, lock)
                .orElseThrow(() -> new NotFoundException("session not found", SESSION_NOT_FOUND));
        owner.check(session.tenantId(), session.userId(), SESSION_NOT_FOUND);
        return session;
    }

    private String mission(@Nullable String mission) {
        if (mission == null) {
            throw InvalidRequestException.field("mission", "is required");
        }
        if (mission.isBlank()) {
            throw InvalidRequestException.field("mission", "must not be blank");
        }
        if (mission.getBytes(StandardCharsets.UTF_8).length > maxMissionBytes) {
            throw InvalidRequestException.field("mission", "must be at most " + maxMissionBytes + " bytes");
        }
        return mission;
    }

    /** A path's session id; anything that is not one is a session that does not exist. */
    static UUID parseId(String value) {
        return sessionId(value);
    }

    private static UUID sessionId(String value) {
        try {
            return UUID.fromString(value.strip());
        } catch (IllegalArgumentException e) {
            throw new NotFoundException("session not found", SESSION_NOT_FOUND);
        }
    }

    private static MissionRun run(String mission, Profile profile) {
        return new MissionRun(
                mission,
                profile.runtime(),
                profile.model(),
                profile.missionSystemPrompt(),
                profile.allowedTools(),
                profile.maxTurns(),
                profile.timeoutSeconds(),
                profile.repositoryUrl());
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
