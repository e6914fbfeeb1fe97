package dev.agentry.api.owned;

/** The request cannot be done in the resource's current state (a run is already in progress). */
public class ResourceConflictException extends RuntimeException {

    public ResourceConflictException(String message) {
        super(message);
    }
}
