package dev.agentry.api.profile;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * How a mission runs.
 *
 * @param runtime a runtime the workers offer ({@code claude-code}, {@code command}, {@code echo})
 * @param model the model the runtime asks for; null for the worker's default
 * @param systemPrompt appended to the agent's system prompt
 * @param allowedTools tools the agent may use without asking; empty for the worker's default
 * @param maxTurns the agent's turn limit per mission; null for the runtime's own
 * @param repositoryUrl a repository each session clones into its workspace; null for an empty scratch workspace
 * @param builtIn whether the platform defines it (it cannot be changed or deleted)
 * @param createdAt null for a built-in profile
 */
public record Profile(
        String name,
        @Nullable String description,
        String runtime,
        @Nullable String model,
        @Nullable String systemPrompt,
        List<String> allowedTools,
        @Nullable Integer maxTurns,
        int timeoutSeconds,
        @Nullable String repositoryUrl,
        boolean builtIn,
        @Nullable Instant createdAt,
        @Nullable Instant updatedAt) {

    public Profile {
        allowedTools = List.copyOf(allowedTools);
    }

    /** The instruction every mission's agent gets, so that a question to the user pauses the mission. */
    public static final String ASK_USER_PROTOCOL = """
            You are running a mission for a user through an API, without a terminal: nobody can answer you while \
            you work. If you cannot finish without information only the user has, stop and make your whole final \
            answer this JSON object and nothing else: {"ask_user": {"question": "<your question>"}}. The user's \
            answer comes as your next instruction in this same session.""";

    /** {@code dev}: Claude Code in an empty scratch workspace that the session keeps. */
    static Profile dev() {
        return new Profile(
                "dev",
                "Claude Code in an empty scratch workspace, kept for the session's later missions.",
                "claude-code",
                null,
                "Your working directory is a scratch workspace of your own, empty at the session's start.",
                List.of(),
                30,
                600,
                null,
                true,
                null,
                null);
    }

    /** The system prompt a mission runs with: the profile's own, then the pause protocol. */
    public String missionSystemPrompt() {
        return systemPrompt == null || systemPrompt.isBlank()
                ? ASK_USER_PROTOCOL
                : systemPrompt.strip() + "\n\n" + ASK_USER_PROTOCOL;
    }
}
