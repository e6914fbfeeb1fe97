package dev.agentry.api.conversation;

import java.util.Map;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Seed 003's {@code GET /api/health}. Like every seed 003 endpoint it needs a bearer token (the seed: "All
 * endpoints require authentication"); the platform's unauthenticated liveness and readiness are {@code /health}
 * and {@code /ready}.
 */
@RestController
class SeedHealthController {

    @GetMapping(path = "/api/health", produces = MediaType.APPLICATION_JSON_VALUE)
    Map<String, String> health() {
        return Map.of("status", "ok");
    }
}
