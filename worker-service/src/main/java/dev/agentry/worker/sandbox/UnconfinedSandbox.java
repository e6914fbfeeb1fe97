package dev.agentry.worker.sandbox;

import dev.agentry.worker.process.ProcessSpec;

/**
 * No sandbox: the process runs as the worker's user with the worker's view of the machine, only its environment
 * still filtered. The operator's explicit choice ({@code agentry.worker.sandbox=none}) for a machine without
 * bubblewrap; never for a worker that runs more than one tenant's tasks.
 */
final class UnconfinedSandbox implements Sandbox {

    @Override
    public String name() {
        return "none";
    }

    @Override
    public ProcessSpec confine(ProcessSpec spec, SandboxView view) {
        return spec;
    }
}
