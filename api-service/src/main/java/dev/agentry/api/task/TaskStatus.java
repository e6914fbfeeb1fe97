package dev.agentry.api.task;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/** The statuses of seed 004. A task ends {@code completed}, {@code failed} or {@code pr_created}. */
public enum TaskStatus {
    PENDING,
    CLONING,
    RUNNING,
    COMPLETED,
    FAILED,
    AWAITING_INSTRUCTION,
    CREATING_PR,
    PR_CREATED;

    public static final Set<TaskStatus> TERMINAL = Set.of(COMPLETED, FAILED, PR_CREATED);

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Optional<TaskStatus> fromWire(String value) {
        return Arrays.stream(values()).filter(s -> s.wire().equals(value)).findFirst();
    }
}
