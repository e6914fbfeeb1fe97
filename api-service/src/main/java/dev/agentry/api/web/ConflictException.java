package dev.agentry.api.web;

/** The resource exists already (a duplicate name): 409. */
public class ConflictException extends RuntimeException {

    public ConflictException(String message) {
        super(message);
    }
}
