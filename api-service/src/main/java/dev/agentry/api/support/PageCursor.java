package dev.agentry.api.support;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;

/** An opaque position in a newest-first keyset order on {@code (created_at, id)}, shared by every paged list. */
public record PageCursor(Instant createdAt, UUID id) {

    public String encode() {
        String raw = createdAt.getEpochSecond() + "." + createdAt.getNano() + "|" + id;
        return Base64.getUrlEncoder().withoutPadding().encodeToString(raw.getBytes(StandardCharsets.UTF_8));
    }

    public static Optional<PageCursor> decode(String cursor) {
        try {
            String raw = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
            int bar = raw.indexOf('|');
            int dot = raw.indexOf('.');
            if (bar < 0 || dot < 0 || dot > bar) {
                return Optional.empty();
            }
            Instant at = Instant.ofEpochSecond(
                    Long.parseLong(raw.substring(0, dot)), Long.parseLong(raw.substring(dot + 1, bar)));
            return Optional.of(new PageCursor(at, UUID.fromString(raw.substring(bar + 1))));
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            return Optional.empty();
        }
    }
}
