package dev.agentry.api.task;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * The statuses of seed 004, and the one place their sets are named. A task ends {@code completed}, {@code failed}
 * or {@code pr_created}; while {@link #ACTIVE} it holds a worker (or waits for one) and cannot be instructed, nor
 * its workspace deleted.
 */
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
    public static final Set<TaskStatus> ACTIVE = Set.of(PENDING, CLONING, RUNNING, CREATING_PR);

    public String wire() {
        return name().toLowerCase(Locale.ROOT);
    }

    public boolean terminal() {
        return TERMINAL.contains(this);
    }

    public boolean active() {
        return ACTIVE.contains(this);
    }

    public static Optional<TaskStatus> fromWire(String value) {
        return Arrays.stream(values()).filter(s -> s.wire().equals(value)).findFirst();
    }

    /** For a status read from the tasks table, which only ever holds these. */
    static TaskStatus of(String wire) {
        return fromWire(wire).orElseThrow(() -> new IllegalStateException("unknown task status " + wire));
    }

    /** A set as the SQL array parameter of {@code status = any(?)}. */
    static String[] wires(Set<TaskStatus> statuses) {
        return statuses.stream().map(TaskStatus::wire).sorted().toArray(String[]::new);
    }
}
