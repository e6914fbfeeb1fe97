package dev.agentry.api.owned;

/** The resource is another user's of the same tenant. */
public class ResourceForbiddenException extends RuntimeException {

    public ResourceForbiddenException() {
        super("Forbidden");
    }
}
