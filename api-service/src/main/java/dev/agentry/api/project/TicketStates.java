package dev.agentry.api.project;

import java.util.List;
import java.util.Map;
import java.util.Set;

/** Seed 001's ticket state machine (the source project's ticket_status.py) and its status-to-phase mapping. */
final class TicketStates {

    static final List<String> STATUSES =
            List.of("backlog", "analyzing", "building", "building-done", "testing", "done");

    static final List<String> PRIORITIES = List.of("CRITICAL", "HIGH", "MEDIUM", "LOW");

    static final List<String> BLOCKERS =
            List.of("dependency", "waiting_on_clarification", "failing_checks", "environment");

    static final List<String> PHASES = List.of(
            "PHASE_BACKLOG",
            "PHASE_REQUIREMENTS",
            "PHASE_DESIGN",
            "PHASE_IMPLEMENTATION",
            "PHASE_TESTING",
            "PHASE_DEPLOYMENT",
            "PHASE_DONE",
            "PHASE_BLOCKED");

    /** The statuses a blocked ticket may move to; the move clears the block. */
    static final Set<String> UNBLOCKING = Set.of("analyzing", "building", "building-done", "testing");

    private static final Map<String, Set<String>> NEXT = Map.of(
            "backlog", Set.of("analyzing"),
            "analyzing", Set.of("building"),
            "building", Set.of("building-done"),
            "building-done", Set.of("testing"),
            "testing", Set.of("done", "building"),
            "done", Set.of());

    private static final Map<String, String> STATUS_TO_PHASE = Map.of(
            "backlog", "PHASE_BACKLOG",
            "analyzing", "PHASE_REQUIREMENTS",
            "building", "PHASE_IMPLEMENTATION",
            "building-done", "PHASE_DEPLOYMENT",
            "testing", "PHASE_TESTING",
            "done", "PHASE_DONE");

    private TicketStates() {}

    static boolean allowed(String from, String to) {
        return NEXT.getOrDefault(from, Set.of()).contains(to);
    }

    static String phaseOf(String status) {
        return STATUS_TO_PHASE.get(status);
    }
}
