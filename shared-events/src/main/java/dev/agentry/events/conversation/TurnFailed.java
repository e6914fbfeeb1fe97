package dev.agentry.events.conversation;

import java.util.UUID;

/**
 * The turn could not produce a reply.
 *
 * @param reason the machine-readable cause, one of the constants below
 * @param error a sentence for people, such as {@code the model API answered 500 three times}
 */
public record TurnFailed(UUID turnId, String reason, String error) implements ConversationEvent {

    public static final String TYPE = "conversation.turn.failed";

    /** The model API refused the request or answered something unusable. */
    public static final String MODEL_ERROR = "model_error";
    /** The model API could not be reached or stayed overloaded through the retries. */
    public static final String MODEL_UNAVAILABLE = "model_unavailable";
    /** The command asked for something this worker cannot do (unknown provider, unusable key). */
    public static final String INVALID_COMMAND = "invalid_command";
    /** The command was delivered again and again without finishing (workers crashed or hung on it). */
    public static final String WORKER_LOST = "worker_lost";
    /** The model kept calling tools past the worker's bound on rounds. */
    public static final String TOO_MANY_ROUNDS = "too_many_rounds";

    @Override
    public String type() {
        return TYPE;
    }
}
