package dev.agentry.api.mission;

import dev.agentry.api.owned.Owners;
import dev.agentry.api.tenant.Caller;
import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Seed 002's sessions, per user. {@code POST} takes mission and profile as query parameters (as the source project
 * did) or as a JSON body, and answers 200 like the source. The list is seed 002's bare array, newest first; the
 * next page's cursor, when there is one, is in the {@code X-Next-Cursor} header.
 */
@RestController
@RequestMapping(path = "/api/v1/sessions", produces = MediaType.APPLICATION_JSON_VALUE)
class SessionController {

    private final MissionService missions;
    private final Owners owners;

    SessionController(MissionService missions, Owners owners) {
        this.missions = missions;
        this.owners = owners;
    }

    /** Seed 002's {@code SessionResponse}; beyond it, the profile and the latest mission's message. */
    record SessionView(
            String sessionId,
            String mission,
            String status,
            Instant createdAt,
            String profile,
            @Nullable String message,
            Instant updatedAt) {

        static SessionView of(Session s) {
            return new SessionView(
                    s.id().toString(),
                    s.mission(),
                    s.status().wire(),
                    s.createdAt(),
                    s.profile(),
                    s.message(),
                    s.updatedAt());
        }
    }

    record CreateRequest(@Nullable String mission, @Nullable String profile) {}

    @PostMapping
    SessionView create(
            Caller caller,
            @RequestParam(required = false) @Nullable String mission,
            @RequestParam(required = false) @Nullable String profile,
            @RequestBody(required = false) @Nullable CreateRequest body) {
        String text = mission != null ? mission : body == null ? null : body.mission();
        String name = profile != null ? profile : body == null ? null : body.profile();
        return SessionView.of(missions.create(owners.of(caller), text, name));
    }

    @GetMapping
    ResponseEntity<List<SessionView>> list(
            Caller caller,
            @RequestParam(required = false) @Nullable String status,
            @RequestParam(required = false) @Nullable String profile,
            @RequestParam(required = false) @Nullable String cursor,
            @RequestParam(defaultValue = "50") int limit) {
        MissionService.Page page = missions.list(owners.of(caller), status, profile, cursor, limit);
        ResponseEntity.BodyBuilder ok = ResponseEntity.ok();
        if (page.nextCursor() != null) {
            ok.header("X-Next-Cursor", page.nextCursor());
        }
        return ok.body(page.sessions().stream().map(SessionView::of).toList());
    }

    @GetMapping("/{id}")
    SessionView get(Caller caller, @PathVariable String id) {
        return SessionView.of(missions.get(owners.of(caller), MissionService.parseId(id)));
    }
}
