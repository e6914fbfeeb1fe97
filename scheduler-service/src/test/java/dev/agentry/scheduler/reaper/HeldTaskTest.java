package dev.agentry.scheduler.reaper;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class HeldTaskTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final Duration STALE_AFTER = Duration.ofMinutes(5);
    private static final Duration MARGIN = Duration.ofMinutes(2);

    @Test
    void isNotStuckWhileHeartbeatsAreFreshAndWithinTimeout() {
        assertThat(task(minutesAgo(10), minutesAgo(4), 3600).stuck(NOW, STALE_AFTER, MARGIN))
                .isEmpty();
    }

    @Test
    void hasLostItsWorkerOnceTheHeartbeatIsOlderThanStaleAfter() {
        assertThat(task(minutesAgo(10), minutesAgo(6), 3600).stuck(NOW, STALE_AFTER, MARGIN))
                .hasValueSatisfying(stuck -> assertThat(stuck.kind()).isEqualTo(HeldTask.Stuck.Kind.WORKER_LOST));
    }

    @Test
    void judgesByStartTimeWhenNoHeartbeatArrivedYet() {
        assertThat(task(minutesAgo(4), null, 3600).stuck(NOW, STALE_AFTER, MARGIN))
                .isEmpty();
        assertThat(task(minutesAgo(6), null, 3600).stuck(NOW, STALE_AFTER, MARGIN))
                .hasValueSatisfying(stuck -> assertThat(stuck.kind()).isEqualTo(HeldTask.Stuck.Kind.WORKER_LOST));
    }

    @Test
    void toleratesTheMarginPastTheTimeoutBeforeCallingItTimedOut() {
        // started 11 min ago with a 10 min timeout: inside the 2 min margin
        assertThat(task(minutesAgo(11), minutesAgo(0), 600).stuck(NOW, STALE_AFTER, MARGIN))
                .isEmpty();
        assertThat(task(minutesAgo(13), minutesAgo(0), 600).stuck(NOW, STALE_AFTER, MARGIN))
                .hasValueSatisfying(stuck -> {
                    assertThat(stuck.kind()).isEqualTo(HeldTask.Stuck.Kind.TIMED_OUT);
                    assertThat(stuck.error())
                            .isEqualTo("Timed out (worker lost): the task started at 2026-03-01T11:47:00Z with a"
                                    + " timeout of 600 s, and worker w1 reported no end within a further 2 min.");
                });
    }

    @Test
    void aFollowUpIsLostOnlyOnceItWasSentAndNotPickedUpWithinStaleAfter() {
        HeldTask waiting = followUp(minutesAgo(60), null);
        HeldTask justAdmitted = followUp(minutesAgo(60), minutesAgo(4));
        HeldTask admittedLongAgo = followUp(minutesAgo(60), minutesAgo(6));

        assertThat(waiting.stuck(NOW, STALE_AFTER, MARGIN)).isEmpty();
        assertThat(justAdmitted.stuck(NOW, STALE_AFTER, MARGIN)).isEmpty();
        assertThat(admittedLongAgo.stuck(NOW, STALE_AFTER, MARGIN)).hasValueSatisfying(stuck -> {
            assertThat(stuck.kind()).isEqualTo(HeldTask.Stuck.Kind.WORKSPACE_LOST);
            assertThat(stuck.error()).startsWith("Workspace lost: iteration 2 was sent at 2026-03-01T11:54:00Z");
        });
    }

    private static HeldTask followUp(Instant instructedAt, @Nullable Instant admittedAt) {
        return new HeldTask(UUID.randomUUID(), "t1", "pending", 2, "w1", 600, null, null, instructedAt, admittedAt);
    }

    private static Instant minutesAgo(int minutes) {
        return NOW.minus(Duration.ofMinutes(minutes));
    }

    private static HeldTask task(@Nullable Instant startedAt, @Nullable Instant heartbeat, int timeoutSeconds) {
        return new HeldTask(
                UUID.randomUUID(),
                "t1",
                "running",
                1,
                "w1",
                timeoutSeconds,
                startedAt,
                heartbeat,
                NOW.minusSeconds(3600),
                NOW.minusSeconds(3600));
    }
}
