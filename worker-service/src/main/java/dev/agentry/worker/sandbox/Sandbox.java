package dev.agentry.worker.sandbox;

import dev.agentry.worker.process.ProcessSpec;

/**
 * Confines a process of a task run. An implementation turns the process the runtime asked for into the process
 * to start instead: the same program, seeing only {@link SandboxView what the run may see}, with an environment
 * built from scratch rather than inherited from the worker. Bubblewrap namespaces are one implementation; a
 * gVisor {@code runsc} wrapper or a pod per task would be others, behind this same interface.
 */
public interface Sandbox {

    /** Names the implementation in logs and the README: {@code bubblewrap}, {@code none}. */
    String name();

    /** The process to start for {@code spec}, confined to {@code view}; the working directory stays the spec's. */
    ProcessSpec confine(ProcessSpec spec, SandboxView view);
}
