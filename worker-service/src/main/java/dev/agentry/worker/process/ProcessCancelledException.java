package dev.agentry.worker.process;

/** The process (tree) was killed because its task was cancelled or the worker is stopping. */
public class ProcessCancelledException extends RuntimeException {

    public ProcessCancelledException() {
        super("cancelled");
    }
}
