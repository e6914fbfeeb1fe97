package dev.agentry.worker.execution;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentry.events.secret.SecretUnavailableException;
import dev.agentry.events.task.TaskFailed.FailureReason;
import dev.agentry.worker.process.ProcessCancelledException;
import dev.agentry.worker.process.ProcessTimedOutException;
import dev.agentry.worker.runtime.UnsupportedTaskException;
import dev.agentry.worker.workspace.CloneFailedException;
import dev.agentry.worker.workspace.RefusedRepositoryException;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FailureClassifierTest {

    private static final String TOKEN = "ghp_secret_token";

    @Test
    void whatTheWorkerCannotRunFailsAsInvalidWithoutUsage() {
        assertThat(classify(new UnsupportedTaskException("unknown runtime x")))
                .isEqualTo(new RunFailure.Terminal(FailureReason.INVALID, "unknown runtime x", false));
        assertThat(classify(new SecretUnavailableException("no keys")))
                .isEqualTo(new RunFailure.Terminal(FailureReason.INVALID, "no keys", false));
        assertThat(classify(new RefusedRepositoryException("local paths are not allowed")))
                .isEqualTo(new RunFailure.Terminal(FailureReason.INVALID, "local paths are not allowed", false));
    }

    @Test
    void theWorkersOwnRefusalKeepsItsReason() {
        assertThat(classify(new RefusedRunException(FailureReason.WORKER_LOST, "delivered 4 times")))
                .isEqualTo(new RunFailure.Terminal(FailureReason.WORKER_LOST, "delivered 4 times", false));
    }

    @Test
    void aCloneFailureIsTheClonesAndATimeoutIsMeasured() {
        assertThat(classify(new CloneFailedException("repository not found")))
                .isEqualTo(new RunFailure.Terminal(FailureReason.CLONE, "clone failed: repository not found", false));
        assertThat(classify(new ProcessTimedOutException(Duration.ofSeconds(5))))
                .isInstanceOfSatisfying(RunFailure.Terminal.class, t -> {
                    assertThat(t.reason()).isEqualTo(FailureReason.TIMEOUT);
                    assertThat(t.measured()).isTrue();
                });
    }

    @Test
    void aKillIsACancellationUnlessTheWorkerIsStoppingThenTheCommandRunsAgain() {
        assertThat(FailureClassifier.classify(new ProcessCancelledException(), false, TOKEN))
                .isEqualTo(new RunFailure.Terminal(FailureReason.CANCELLED, "cancelled", true));
        assertThat(FailureClassifier.classify(new ProcessCancelledException(), true, TOKEN))
                .isInstanceOf(RunFailure.Transient.class);
    }

    @Test
    void anythingElseIsAWorkerErrorWithTheTokenScrubbed() {
        assertThat(classify(new IllegalStateException("git push failed for " + TOKEN)))
                .isEqualTo(
                        new RunFailure.Terminal(FailureReason.RUNTIME, "worker error: git push failed for ***", true));
        assertThat(classify(new NullPointerException()))
                .isEqualTo(new RunFailure.Terminal(FailureReason.RUNTIME, "worker error: NullPointerException", true));
    }

    private static RunFailure classify(RuntimeException e) {
        return FailureClassifier.classify(e, false, TOKEN);
    }
}
