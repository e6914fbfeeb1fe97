package dev.agentry.worker.workspace;

/** A repository URL this worker will not clone (a local path without permission, an unsafe transport). */
public class RefusedRepositoryException extends RuntimeException {

    public RefusedRepositoryException(String message) {
        super(message);
    }
}
