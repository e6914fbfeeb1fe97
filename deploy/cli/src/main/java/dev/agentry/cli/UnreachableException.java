package dev.agentry.cli;

/** No HTTP answer at all: nothing listens at the URL, or it did not answer in time. */
final class UnreachableException extends RuntimeException {

    UnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
