package dev.agentry.api.owned;

/** No such resource for this tenant; the message names it ({@code Conversation not found}). */
public class ResourceNotFoundException extends RuntimeException {

    public ResourceNotFoundException(String message) {
        super(message);
    }
}
