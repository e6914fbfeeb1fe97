package dev.agentry.api.mission;

import dev.agentry.api.error.InvalidRequestException;
import dev.agentry.api.owned.Owner;
import dev.agentry.api.owned.Owners;
import dev.agentry.api.stream.IterationWaits;
import dev.agentry.api.stream.LogStreams;
import dev.agentry.api.task.LoggedEvent;
import dev.agentry.api.tenant.Caller;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;
import tools.jackson.databind.json.JsonMapper;

/**
 * Seed 002's execute endpoints. {@code /execute} waits for the mission up to {@code agentry.missions.execute-wait}
 * and answers {@code in_progress} past it; {@code /execute/stream} streams the mission's frames. Either way the
 * mission runs on a worker, and neither a client that leaves nor a wait that ends stops it. A client may ask
 * {@code /execute} to wait less with {@code Prefer: wait=<seconds>} (RFC 7240), never more than the setting.
 */
@RestController
class MissionController {

    private static final Pattern PREFER_WAIT = Pattern.compile("(?:^|[,;\\s])wait=(\\d{1,6})(?:$|[,;\\s])");

    private final MissionService missions;
    private final Owners owners;
    private final IterationWaits waits;
    private final LogStreams streams;
    private final MissionProperties properties;
    private final JsonMapper json;

    MissionController(
            MissionService missions,
            Owners owners,
            IterationWaits waits,
            LogStreams streams,
            MissionProperties properties,
            JsonMapper json) {
        this.missions = missions;
        this.owners = owners;
        this.waits = waits;
        this.streams = streams;
        this.properties = properties;
        this.json = json;
    }

    /** Seed 002's {@code ExecuteMissionResponse}; {@code status} is completed, failed, paused or in_progress. */
    record ExecuteResponse(String sessionId, String status, String message) {}

    record CancelResponse(String sessionId, String status) {}

    @PostMapping(path = "/api/v1/execute", produces = MediaType.APPLICATION_JSON_VALUE)
    ExecuteResponse execute(
            Caller caller,
            @RequestBody(required = false) @Nullable ExecuteRequest body,
            @RequestHeader(name = "Prefer", required = false) @Nullable String prefer)
            throws InterruptedException {
        Owner owner = owners.of(caller);
        MissionService.Started started = missions.execute(owner, body);
        Optional<LoggedEvent> end =
                waits.awaitEnd(owner.tenant(), started.taskId(), started.iteration(), started.after(), bound(prefer));
        String session = started.session().id().toString();
        if (end.isEmpty()) {
            return new ExecuteResponse(
                    session,
                    "in_progress",
                    "The mission is still running; GET /api/v1/sessions/" + session + " shows when it ends.");
        }
        MissionOutcome outcome = MissionOutcome.of(end.get());
        return new ExecuteResponse(session, outcome.status().wire(), outcome.message());
    }

    /**
     * Starts a mission and streams it; with {@code Last-Event-ID} and a {@code session_id}, resumes the stream of
     * the session's latest mission after that id instead of starting another.
     */
    @PostMapping(path = "/api/v1/execute/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
    SseEmitter stream(
            Caller caller,
            @RequestBody(required = false) @Nullable ExecuteRequest body,
            @RequestHeader(name = "Last-Event-ID", required = false) @Nullable String lastEventId) {
        Owner owner = owners.of(caller);
        if (lastEventId != null && !lastEventId.isBlank() && body != null && body.sessionId() != null) {
            MissionService.Started current = missions.current(owner, body.sessionId());
            return open(owner, current, current.session().mission(), lastEventId(lastEventId), true);
        }
        MissionService.Started started = missions.execute(owner, body);
        return open(
                owner, started, body == null || body.mission() == null ? "" : body.mission(), started.after(), false);
    }

    @PostMapping(path = "/api/v1/execute/{sessionId}/cancel", produces = MediaType.APPLICATION_JSON_VALUE)
    @ResponseStatus(HttpStatus.ACCEPTED)
    CancelResponse cancel(Caller caller, @PathVariable String sessionId) {
        UUID id = MissionService.parseId(sessionId);
        missions.cancel(owners.of(caller), id);
        return new CancelResponse(id.toString(), "interrupt_requested");
    }

    /** The configured bound, or less when the client asks for less with RFC 7240's {@code Prefer: wait=<s>}. */
    private Duration bound(@Nullable String prefer) {
        Duration configured = properties.executeWait();
        if (prefer == null) {
            return configured;
        }
        Matcher wait = PREFER_WAIT.matcher(prefer);
        if (!wait.find()) {
            return configured;
        }
        Duration asked = Duration.ofSeconds(Long.parseLong(wait.group(1)));
        return asked.compareTo(configured) < 0 ? asked : configured;
    }

    private SseEmitter open(Owner owner, MissionService.Started run, String mission, long after, boolean resumed) {
        UUID sessionId = run.session().id();
        MissionFrames frames = new MissionFrames(
                json, run.session(), mission, run.iteration(), run.maxSteps(), () -> stored(owner, sessionId));
        return streams.open(owner.tenant(), run.taskId(), after, resumed, frames);
    }

    private MissionOutcome stored(Owner owner, UUID sessionId) {
        Session session = missions.get(owner, sessionId);
        return new MissionOutcome(session.status(), session.message() == null ? "" : session.message());
    }

    private static long lastEventId(String value) {
        try {
            long seq = Long.parseLong(value.strip());
            if (seq < 0) {
                throw new NumberFormatException();
            }
            return seq;
        } catch (NumberFormatException e) {
            throw new InvalidRequestException(
                    java.util.Map.of("Last-Event-ID", "must be the id of a frame of this stream"));
        }
    }
}
