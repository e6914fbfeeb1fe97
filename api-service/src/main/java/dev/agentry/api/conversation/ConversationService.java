package dev.agentry.api.conversation;

import dev.agentry.api.conversation.ConversationTurns.NewTurn;
import dev.agentry.api.error.ConflictException;
import dev.agentry.api.error.InvalidRequestException;
import dev.agentry.api.owned.Owner;
import dev.agentry.events.conversation.RunTurn;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

/** Creating, reading, changing and deleting a user's conversations, and the controls of their schedule. */
@Service
class ConversationService {

    static final String DEFAULT_TITLE = "New Conversation";
    static final int MAX_TITLE = 200;

    private static final Logger log = LoggerFactory.getLogger(ConversationService.class);

    private final Conversations conversations;
    private final ConversationMessages messages;
    private final ConversationTurns turns;
    private final TurnCommands commands;
    private final ConversationProperties properties;

    ConversationService(
            Conversations conversations,
            ConversationMessages messages,
            ConversationTurns turns,
            TurnCommands commands,
            ConversationProperties properties) {
        this.conversations = conversations;
        this.messages = messages;
        this.turns = turns;
        this.commands = commands;
        this.properties = properties;
    }

    @Transactional
    Conversation create(Owner owner, @Nullable String title) {
        Instant now = now();
        String name = title == null || title.isBlank() ? DEFAULT_TITLE : checkedTitle(title);
        Conversation c = new Conversation(
                UUID.randomUUID(),
                owner.tenant().value(),
                owner.userId(),
                name,
                ConversationStatus.ACTIVE,
                null,
                0,
                null,
                null,
                Map.of(),
                "initial",
                Map.of(),
                null,
                now,
                now);
        conversations.insert(c);
        log.info("Conversation {} created for user {} of tenant {}.", c.id(), owner.userId(), owner.tenant());
        return c;
    }

    List<Conversation> list(Owner owner) {
        return conversations.list(owner);
    }

    Conversation get(Owner owner, UUID id) {
        return conversations.get(owner, id, false);
    }

    List<ConversationMessages.StoredMessage> messages(Conversation c) {
        return messages.list(c.id());
    }

    /** An empty title keeps the old one; the status may only become {@code active} or {@code archived}. */
    @Transactional
    Conversation patch(Owner owner, UUID id, @Nullable String title, @Nullable String status) {
        ConversationStatus requested = null;
        if (status != null) {
            requested = ConversationStatus.fromWire(status)
                    .filter(s -> s == ConversationStatus.ACTIVE || s == ConversationStatus.ARCHIVED)
                    .orElseThrow(() -> new InvalidRequestException(
                            "invalid request", "Invalid status: must be active or archived"));
        }
        Conversation before = conversations.get(owner, id, true);
        Conversation after = title == null || title.isEmpty() ? before : before.withTitle(checkedTitle(title));
        if (requested != null) {
            after = ConversationStateMachine.patch(after, requested);
        }
        return saved(before, after);
    }

    @Transactional
    void delete(Owner owner, UUID id) {
        conversations.get(owner, id, true);
        conversations.delete(id);
        log.info("Conversation {} of tenant {} deleted.", id, owner.tenant());
    }

    @Transactional
    Conversation pause(Owner owner, UUID id) {
        Conversation before = conversations.get(owner, id, true);
        return saved(before, ConversationStateMachine.pause(before, now()));
    }

    @Transactional
    Conversation resume(Owner owner, UUID id) {
        Conversation before = conversations.get(owner, id, true);
        return saved(before, ConversationStateMachine.resume(before, now()));
    }

    record Triggered(Conversation conversation, UUID turnId, Instant at) {}

    /** Runs the background work once now, as a firing would, unless a run is under way already. */
    @Transactional
    Triggered runNow(Owner owner, UUID id) {
        Conversation c = conversations.get(owner, id, true);
        ConversationStateMachine.requireRunnable(c);
        if (turns.inFlight(c.id(), properties.staleTurnAfter())) {
            throw new ConflictException("A run of this conversation is already in progress");
        }
        Instant now = now();
        UUID turnId = UUID.randomUUID();
        turns.insert(new NewTurn(
                turnId,
                c,
                RunTurn.TRIGGER_RUN_NOW,
                ConversationTurns.QUEUED,
                c.status(),
                c.scheduleVersion(),
                null,
                null,
                false,
                null,
                false,
                now));
        commands.send(c, turnId, RunTurn.TRIGGER_RUN_NOW, now);
        log.info("Conversation {} runs now as turn {}.", c.id(), turnId);
        return new Triggered(c, turnId, now);
    }

    private Conversation saved(Conversation before, Conversation after) {
        if (!after.differsFrom(before)) {
            return before;
        }
        Conversation touched = after.touched(now());
        conversations.update(touched);
        return touched;
    }

    private static String checkedTitle(String title) {
        String stripped = title.strip();
        if (stripped.length() > MAX_TITLE) {
            throw new InvalidRequestException("invalid request", "Title must be at most " + MAX_TITLE + " characters");
        }
        return stripped.isEmpty() ? DEFAULT_TITLE : stripped;
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MILLIS);
    }
}
