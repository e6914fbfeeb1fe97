package dev.agentry.worker.runtime;

/**
 * An agent runtime: something that takes a prompt (and usually a workspace) and does the work. Runtimes are
 * Spring beans found by {@link #name()}, the {@code runtime} of a {@code task.run} command. A runtime starts its
 * processes through {@link RuntimeRequest#processes()}, which confines each process to the run's sandbox and owns the
 * task's deadline and cancellation, and lets
 * {@link dev.agentry.worker.process.ProcessTimedOutException} and
 * {@link dev.agentry.worker.process.ProcessCancelledException} through.
 */
public interface AgentRuntime {

    String name();

    /** Whether the task's repository must be cloned before {@link #run}. */
    boolean needsWorkspace();

    /**
     * Runs the prompt to its end, reporting progress to {@code listener}.
     *
     * @return how it ended, success or a failure the runtime reported
     * @throws UnsupportedTaskException when this worker cannot run the request at all
     */
    RuntimeOutcome run(RuntimeRequest request, RuntimeListener listener);
}
