package dev.agentry.api.owned;

/** The request asks for something this resource does not allow; the message says what, for the client. */
public class InvalidInputException extends RuntimeException {

    public InvalidInputException(String message) {
        super(message);
    }
}
