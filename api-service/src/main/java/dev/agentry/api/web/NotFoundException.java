package dev.agentry.api.web;

/** A resource the caller's tenant does not have (or may not know exists): 404. */
public class NotFoundException extends RuntimeException {

    private final String error;

    public NotFoundException(String error, String message) {
        super(message);
        this.error = error;
    }

    public String error() {
        return error;
    }
}
