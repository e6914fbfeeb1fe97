package dev.agentry.api.web;

/** The request's credentials are wrong or gone: 401 with {@code WWW-Authenticate: Bearer}. */
public class UnauthorizedException extends RuntimeException {

    private final String error;

    public UnauthorizedException(String error, String message) {
        super(message);
        this.error = error;
    }

    public String error() {
        return error;
    }
}
