package dev.agentry.worker.execution;

import dev.agentry.events.secret.SecretUnavailableException;
import dev.agentry.events.task.TaskFailed.FailureReason;
import dev.agentry.worker.git.Redactor;
import dev.agentry.worker.process.ProcessCancelledException;
import dev.agentry.worker.process.ProcessTimedOutException;
import dev.agentry.worker.runtime.UnsupportedTaskException;
import dev.agentry.worker.workspace.CloneFailedException;
import dev.agentry.worker.workspace.RefusedRepositoryException;
import org.jspecify.annotations.Nullable;

/**
 * The one place that decides what an exception out of a run means: which {@link FailureReason} the task fails
 * with, or that the run is only abandoned and runs again elsewhere. Messages are scrubbed of the task's token.
 */
final class FailureClassifier {

    private FailureClassifier() {}

    /**
     * @param abandoned whether the worker itself stopped the run (it is stopping), rather than a cancellation
     * @param token the task's git token, to keep it out of the error text
     */
    static RunFailure classify(RuntimeException e, boolean abandoned, @Nullable String token) {
        return switch (e) {
            case RefusedRunException refused -> terminal(refused.reason(), refused.getMessage(), false);
            case UnsupportedTaskException _, SecretUnavailableException _, RefusedRepositoryException _ ->
                terminal(FailureReason.INVALID, e.getMessage(), false);
            case CloneFailedException _ -> terminal(FailureReason.CLONE, e.getMessage(), false);
            case ProcessTimedOutException _ -> terminal(FailureReason.TIMEOUT, e.getMessage(), true);
            case ProcessCancelledException _ when abandoned -> new RunFailure.Transient("the worker is stopping");
            case ProcessCancelledException _ -> terminal(FailureReason.CANCELLED, "cancelled", true);
            default -> {
                String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
                yield terminal(FailureReason.RUNTIME, Redactor.redact("worker error: " + message, token), true);
            }
        };
    }

    private static RunFailure terminal(FailureReason reason, @Nullable String error, boolean measured) {
        return new RunFailure.Terminal(reason, String.valueOf(error), measured);
    }
}
