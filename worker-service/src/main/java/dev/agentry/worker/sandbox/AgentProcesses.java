package dev.agentry.worker.sandbox;

import dev.agentry.worker.process.ProcessResult;
import dev.agentry.worker.process.ProcessScope;
import dev.agentry.worker.process.ProcessSpec;
import java.util.function.Consumer;

/**
 * Where a runtime starts the agent's processes: every one is confined by the worker's {@link Sandbox} to the run's
 * view, and runs under the run's {@link ProcessScope} (its deadline and cancellation). A runtime has no other way
 * to start a process, so none escapes the sandbox by being forgotten.
 */
public final class AgentProcesses {

    private final ProcessScope scope;
    private final Sandbox sandbox;
    private final SandboxView view;

    public AgentProcesses(ProcessScope scope, Sandbox sandbox, SandboxView view) {
        this.scope = scope;
        this.sandbox = sandbox;
        this.view = view;
    }

    /** Runs {@code spec} in the sandbox; see {@link ProcessScope#run}. */
    public ProcessResult run(ProcessSpec spec, Consumer<String> onLine) {
        return scope.run(sandbox.confine(spec, view), onLine);
    }

    /** The same run, its processes also seeing {@code more} (a runtime's own state and installation). */
    public AgentProcesses with(SandboxView more) {
        return new AgentProcesses(scope, sandbox, view.and(more));
    }
}
