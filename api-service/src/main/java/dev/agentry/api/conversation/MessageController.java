package dev.agentry.api.conversation;

import dev.agentry.api.conversation.ConversationTurns.Turn;
import dev.agentry.api.conversation.ConversationViews.MessageView;
import dev.agentry.api.conversation.ConversationViews.SendAccepted;
import dev.agentry.api.conversation.ConversationViews.SendReply;
import dev.agentry.api.conversation.ConversationViews.SendRequest;
import dev.agentry.api.error.UpstreamFailedException;
import dev.agentry.api.owned.Owners;
import dev.agentry.api.tenant.Caller;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code POST /api/conversations/{id}/messages}: the seed's 200 once the assistant answered; past
 * {@code agentry.api.conversations.turn-wait}, 202 with the same members ({@code assistantMessage: null}) plus
 * {@code turnId} and {@code "status": "in_progress"}: the turn goes on and its reply shows up in GET.
 */
@RestController
@RequestMapping(path = "/api/conversations/{id}/messages", produces = MediaType.APPLICATION_JSON_VALUE)
class MessageController {

    private final TurnService turns;
    private final TurnStreams streams;
    private final Owners owners;

    MessageController(TurnService turns, TurnStreams streams, Owners owners) {
        this.turns = turns;
        this.streams = streams;
        this.owners = owners;
    }

    @PostMapping
    ResponseEntity<?> send(
            Caller caller, @PathVariable UUID id, @RequestBody(required = false) @Nullable SendRequest body)
            throws InterruptedException {
        TurnService.Accepted accepted = turns.accept(owners.of(caller), id, body == null ? null : body.content());
        TurnService.Outcome outcome = turns.await(accepted.turnId());
        Turn turn = outcome.turn();
        MessageView message = MessageView.of(accepted.message());
        if (ConversationTurns.FAILED.equals(turn.status())) {
            throw new UpstreamFailedException("turn failed", "The assistant could not answer: " + turn.error());
        }
        if (outcome.assistantMessage() == null) {
            return ResponseEntity.status(HttpStatus.ACCEPTED)
                    .body(new SendAccepted(message, null, turn.conversationUpdated(), null, turn.id(), "in_progress"));
        }
        return ResponseEntity.ok(new SendReply(
                message, MessageView.of(outcome.assistantMessage()), turn.conversationUpdated(), turn.newStatus()));
    }

    /** The same turn as Server-Sent Events; see {@link TurnStreams} for the events. */
    @PostMapping(
            path = "/stream",
            produces = {MediaType.TEXT_EVENT_STREAM_VALUE, MediaType.APPLICATION_JSON_VALUE})
    SseEmitter stream(Caller caller, @PathVariable UUID id, @RequestBody(required = false) @Nullable SendRequest body) {
        return streams.open(owners.of(caller), id, body == null ? null : body.content());
    }
}
