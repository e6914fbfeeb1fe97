package dev.agentry.worker.sandbox;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a run's processes see besides the read-only system: directories they may change (the workspace, the
 * agent's state) and files they may only read (the agent CLI's installation), each at its own path so that paths
 * in arguments and configuration files stay valid inside, and whether they share the worker's network at all.
 *
 * @param network false puts the processes in a network namespace of their own with nothing but its loopback: no
 *     Kafka, no PostgreSQL, no metadata address, no model endpoint
 */
public record SandboxView(List<Path> writable, List<Path> readOnly, boolean network) {

    public static final SandboxView NOTHING = new SandboxView(List.of(), List.of());

    public SandboxView {
        writable = List.copyOf(writable);
        readOnly = List.copyOf(readOnly);
    }

    public SandboxView(List<Path> writable, List<Path> readOnly) {
        this(writable, readOnly, true);
    }

    /** No network: what the other view allows, without the worker's network. */
    public static SandboxView offline() {
        return new SandboxView(List.of(), List.of(), false);
    }

    public static SandboxView writable(Path... paths) {
        return new SandboxView(List.of(paths), List.of());
    }

    public static SandboxView readOnly(Path... paths) {
        return new SandboxView(List.of(), List.of(paths));
    }

    /** Both views together. */
    public SandboxView and(SandboxView other) {
        List<Path> allWritable = new ArrayList<>(writable);
        allWritable.addAll(other.writable);
        List<Path> allReadOnly = new ArrayList<>(readOnly);
        allReadOnly.addAll(other.readOnly);
        return new SandboxView(allWritable, allReadOnly, network && other.network);
    }
}
