package dev.agentry.api.project;

import dev.agentry.api.project.ProjectViews.CreateProject;
import dev.agentry.api.project.ProjectViews.CreateTicket;
import dev.agentry.api.project.ProjectViews.ProjectDetail;
import dev.agentry.api.project.ProjectViews.ProjectView;
import dev.agentry.api.project.ProjectViews.TicketView;
import dev.agentry.api.tenant.Caller;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Seed 001's Projects API (section 8): a bare array, the project, its details with stats, and create-ticket. */
@RestController
@RequestMapping(path = "/api/v1/projects", produces = MediaType.APPLICATION_JSON_VALUE)
class ProjectController {

    private final ProjectService service;

    ProjectController(ProjectService service) {
        this.service = service;
    }

    @GetMapping
    List<ProjectView> list(Caller caller) {
        return service.list(caller.tenant());
    }

    @PostMapping
    ProjectView create(Caller caller, @RequestBody(required = false) @Nullable CreateProject body) {
        return service.create(caller.tenant(), caller.subject(), body);
    }

    @GetMapping("/{projectId}")
    ProjectDetail get(Caller caller, @PathVariable String projectId) {
        return service.get(caller.tenant(), projectId);
    }

    @DeleteMapping("/{projectId}")
    ProjectView archive(Caller caller, @PathVariable String projectId) {
        return service.archive(caller.tenant(), projectId);
    }

    @PostMapping("/{projectId}/create-ticket")
    TicketView createTicket(
            Caller caller, @PathVariable String projectId, @RequestBody(required = false) @Nullable CreateTicket body) {
        return service.createTicket(caller.tenant(), caller.subject(), projectId, body);
    }
}
