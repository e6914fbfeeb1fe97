package dev.agentry.api.task;

import java.util.UUID;

/** No task with this id for this tenant. Another tenant's task is reported the same way. */
public class TaskNotFoundException extends RuntimeException {

    public TaskNotFoundException(UUID id) {
        super("Task " + id + " was not found.");
    }
}
