package dev.agentry.api.project;

import dev.agentry.api.project.ProjectViews.TicketList;
import dev.agentry.api.project.ProjectViews.TicketView;
import dev.agentry.api.project.ProjectViews.Transition;
import dev.agentry.api.tenant.Caller;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The source project's tickets routes: list, get, the validated transition, block and unblock. */
@RestController
@RequestMapping(path = "/api/v1/tickets", produces = MediaType.APPLICATION_JSON_VALUE)
class TicketController {

    private final TicketService service;

    TicketController(TicketService service) {
        this.service = service;
    }

    @GetMapping
    TicketList list(
            Caller caller,
            @RequestParam(name = "project_id", required = false) @Nullable String projectId,
            @RequestParam(required = false) @Nullable String status,
            @RequestParam(required = false) @Nullable String priority,
            @RequestParam(defaultValue = "10") int limit,
            @RequestParam(defaultValue = "0") int offset) {
        return service.list(caller.tenant(), projectId, status, priority, limit, offset);
    }

    @GetMapping("/{ticketId}")
    TicketView get(Caller caller, @PathVariable String ticketId) {
        return service.get(caller.tenant(), ticketId);
    }

    @GetMapping("/{ticketId}/phase-history")
    List<TicketService.History> history(Caller caller, @PathVariable String ticketId) {
        return service.history(caller.tenant(), ticketId);
    }

    @PostMapping("/{ticketId}/transition")
    TicketView transition(
            Caller caller, @PathVariable String ticketId, @RequestBody(required = false) @Nullable Transition body) {
        return service.transition(
                caller.tenant(),
                caller.subject(),
                ticketId,
                body == null ? null : body.toStatus(),
                body == null ? null : body.reason());
    }

    @PostMapping("/{ticketId}/block")
    TicketView block(
            Caller caller,
            @PathVariable String ticketId,
            @RequestParam(name = "blocker_type", required = false) @Nullable String blockerType) {
        return service.block(caller.tenant(), ticketId, blockerType);
    }

    @PostMapping("/{ticketId}/unblock")
    TicketView unblock(Caller caller, @PathVariable String ticketId) {
        return service.unblock(caller.tenant(), ticketId);
    }
}
