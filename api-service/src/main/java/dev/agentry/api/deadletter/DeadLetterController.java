package dev.agentry.api.deadletter;

import dev.agentry.api.error.InvalidRequestException;
import dev.agentry.api.error.NotFoundException;
import dev.agentry.api.tenant.Caller;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Platform administration: the records the shared stages set aside, across tenants (the outbox relay, the
 * consumers), as Sidekiq's dead set or Inngest's replay. Only a platform operator's token reaches {@code
 * /api/v1/admin/**} (see {@code tenant.SecurityConfig}).
 */
@RestController
@RequestMapping(path = "/api/v1/admin/dead-letters", produces = MediaType.APPLICATION_JSON_VALUE)
class DeadLetterController {

    private static final Logger log = LoggerFactory.getLogger(DeadLetterController.class);
    private static final List<String> STAGE_NAMES = List.of(
            "outbox",
            "task-projector",
            "consumer",
            "conversation-projector",
            "schedule-firings",
            "webhook-intake",
            "conversation-webhook-intake");

    private final DeadLetterStore store;

    DeadLetterController(DeadLetterStore store) {
        this.store = store;
    }

    record Page(
            List<DeadLetterStore.DeadLetter> deadLetters,
            @Nullable String nextCursor) {}

    /**
     * @param stage only letters of this stage ({@code outbox}, {@code task-projector}, {@code consumer},
     *     {@code conversation-projector}, {@code schedule-firings}, and the scheduler's {@code webhook-intake},
     *     {@code conversation-webhook-intake})
     * @param pending only letters not replayed yet
     * @param cursor the {@code next_cursor} of the previous page
     */
    @GetMapping
    Page list(
            @RequestParam(required = false) @Nullable String stage,
            @RequestParam(required = false, defaultValue = "false") String pending,
            @RequestParam(required = false) @Nullable String cursor,
            @RequestParam(required = false, defaultValue = "50") String limit) {
        Map<String, String> errors = new LinkedHashMap<>();
        if (stage != null && !STAGE_NAMES.contains(stage)) {
            errors.put("stage", "must be one of " + String.join(", ", STAGE_NAMES));
        }
        if (!pending.equals("true") && !pending.equals("false")) {
            errors.put("pending", "must be true or false");
        }
        Long before = cursor == null ? null : number(cursor, "cursor", errors);
        Long size = number(limit, "limit", errors);
        if (size != null && (size < 1 || size > 200)) {
            errors.put("limit", "must be between 1 and 200");
        }
        if (!errors.isEmpty()) {
            throw new InvalidRequestException(errors);
        }
        int pageSize = size.intValue();
        List<DeadLetterStore.DeadLetter> letters = store.list(stage, before, pending.equals("true"), pageSize);
        String next =
                letters.size() == pageSize ? String.valueOf(letters.getLast().id()) : null;
        return new Page(letters, next);
    }

    @GetMapping("/{id}")
    DeadLetterStore.DeadLetter get(@PathVariable String id) {
        long letter = id(id);
        return store.find(letter).orElseThrow(() -> notFound(letter));
    }

    /** Puts the record back on its way (through the outbox); answers the letter, now with its {@code replayed_at}. */
    @PostMapping("/{id}/replay")
    @ResponseStatus(HttpStatus.ACCEPTED)
    DeadLetterStore.DeadLetter replay(Caller caller, @PathVariable String id) {
        DeadLetterStore.DeadLetter replayed = store.replay(id(id));
        log.info("Operator {} replayed dead letter {} ({}).", caller.subject(), replayed.id(), replayed.origin());
        return replayed;
    }

    private static long id(String id) {
        Map<String, String> errors = new LinkedHashMap<>();
        Long parsed = number(id, "id", errors);
        if (parsed == null || parsed < 1) {
            throw new InvalidRequestException(Map.of("id", "must be a positive whole number"));
        }
        return parsed;
    }

    private static @Nullable Long number(String value, String field, Map<String, String> errors) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            errors.put(field, "must be a whole number");
            return null;
        }
    }

    private static NotFoundException notFound(long id) {
        return new NotFoundException("dead letter not found", "No dead letter " + id + ".");
    }
}
