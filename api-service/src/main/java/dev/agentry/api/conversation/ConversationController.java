package dev.agentry.api.conversation;

import dev.agentry.api.conversation.ConversationViews.ConversationView;
import dev.agentry.api.conversation.ConversationViews.CreateRequest;
import dev.agentry.api.conversation.ConversationViews.Many;
import dev.agentry.api.conversation.ConversationViews.MessageView;
import dev.agentry.api.conversation.ConversationViews.One;
import dev.agentry.api.conversation.ConversationViews.PatchRequest;
import dev.agentry.api.conversation.ConversationViews.Paused;
import dev.agentry.api.conversation.ConversationViews.Resumed;
import dev.agentry.api.conversation.ConversationViews.Triggered;
import dev.agentry.api.conversation.ConversationViews.WithMessages;
import dev.agentry.api.owned.Owner;
import dev.agentry.api.owned.Owners;
import dev.agentry.api.tenant.Caller;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/** Seed 003's conversation endpoints (and the source project's pause, resume and run-now), per user. */
@RestController
@RequestMapping(path = "/api/conversations", produces = MediaType.APPLICATION_JSON_VALUE)
class ConversationController {

    private final ConversationService service;
    private final Owners owners;

    ConversationController(ConversationService service, Owners owners) {
        this.service = service;
        this.owners = owners;
    }

    @PostMapping
    @ResponseStatus(HttpStatus.CREATED)
    One create(Caller caller, @RequestBody(required = false) @Nullable CreateRequest body) {
        return new One(ConversationView.of(service.create(owners.of(caller), body == null ? null : body.title())));
    }

    @GetMapping
    Many list(Caller caller) {
        return new Many(service.list(owners.of(caller)).stream()
                .map(ConversationView::of)
                .toList());
    }

    @GetMapping("/{id}")
    WithMessages get(Caller caller, @PathVariable UUID id) {
        Conversation c = service.get(owners.of(caller), id);
        return new WithMessages(
                ConversationView.of(c),
                service.messages(c).stream().map(MessageView::of).toList());
    }

    @PatchMapping("/{id}")
    One patch(Caller caller, @PathVariable UUID id, @RequestBody(required = false) @Nullable PatchRequest body) {
        Owner owner = owners.of(caller);
        Conversation c = body == null ? service.get(owner, id) : service.patch(owner, id, body.title(), body.status());
        return new One(ConversationView.of(c));
    }

    @DeleteMapping("/{id}")
    Map<String, Boolean> delete(Caller caller, @PathVariable UUID id) {
        service.delete(owners.of(caller), id);
        return Map.of("success", true);
    }

    @PatchMapping("/{id}/pause")
    Paused pause(Caller caller, @PathVariable UUID id) {
        return new Paused(ConversationView.of(service.pause(owners.of(caller), id)), true);
    }

    @PatchMapping("/{id}/resume")
    Resumed resume(Caller caller, @PathVariable UUID id) {
        return new Resumed(ConversationView.of(service.resume(owners.of(caller), id)), true);
    }

    @PostMapping("/{id}/run-now")
    Triggered runNow(Caller caller, @PathVariable UUID id) {
        ConversationService.Triggered triggered = service.runNow(owners.of(caller), id);
        return new Triggered(ConversationView.of(triggered.conversation()), triggered.at(), triggered.turnId());
    }
}
