package dev.agentry.worker.process;

import java.time.Duration;

/** The process (tree) outlived its deadline and was killed. */
public class ProcessTimedOutException extends RuntimeException {

    public ProcessTimedOutException(Duration limit) {
        super("timed out after " + limit.toSeconds() + " seconds");
    }
}
