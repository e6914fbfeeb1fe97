package dev.agentry.worker.sandbox;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What a run's processes see besides the read-only system: directories they may change (the workspace, the
 * agent's state) and files they may only read (the agent CLI's installation), each at its own path so that paths
 * in arguments and configuration files stay valid inside.
 */
public record SandboxView(List<Path> writable, List<Path> readOnly) {

    public static final SandboxView NOTHING = new SandboxView(List.of(), List.of());

    public SandboxView {
        writable = List.copyOf(writable);
        readOnly = List.copyOf(readOnly);
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
        return new SandboxView(allWritable, allReadOnly);
    }
}
