package dev.agentry.events.secret;

/** A sealed secret that cannot be opened here: unknown key id, tampered or truncated ciphertext. */
public class SecretUnavailableException extends RuntimeException {

    public SecretUnavailableException(String message) {
        super(message);
    }
}
