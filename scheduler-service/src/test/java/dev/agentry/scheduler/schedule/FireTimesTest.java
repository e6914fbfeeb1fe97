package dev.agentry.scheduler.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.UUID;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

class FireTimesTest {

    private static final Instant NOW = Instant.parse("2026-05-04T10:00:30Z");

    @Test
    void aCronStartsAtTheNextRunTheApiShowed() {
        Instant shown = Instant.parse("2026-05-04T10:05:00Z");

        assertThat(FireTimes.first(cron("*/5 * * * *", shown), NOW)).isEqualTo(shown);
    }

    @Test
    void aCronStartsAtItsNextInstantWhenTheApiShowedNoneOrAnUnalignedOne() {
        assertThat(FireTimes.first(cron("*/5 * * * *", null), NOW)).isEqualTo(Instant.parse("2026-05-04T10:05:00Z"));
        assertThat(FireTimes.first(cron("*/5 * * * *", Instant.parse("2026-05-04T10:02:10Z")), NOW))
                .isEqualTo(Instant.parse("2026-05-04T10:05:00Z"));
    }

    @Test
    void oneTimeSchedulesStartAtRunAtAndImmediateOnesAtOnce() {
        Instant runAt = Instant.parse("2026-05-05T08:00:00Z");

        assertThat(FireTimes.first(schedule("scheduled", null, runAt, null), NOW))
                .isEqualTo(runAt);
        assertThat(FireTimes.first(schedule("immediate", null, null, null), NOW))
                .isEqualTo(NOW);
        assertThatThrownBy(() -> FireTimes.first(schedule("scheduled", null, null, null), NOW))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no run_at");
    }

    @Test
    void aFiringOnTimeIsNoCatchUpAndMovesToTheNextInstant() {
        Firing firing = FireTimes.fire(due("* * * * *", Instant.parse("2026-05-04T10:00:00Z")), NOW);

        assertThat(firing)
                .isEqualTo(new Firing(
                        Instant.parse("2026-05-04T10:00:00Z"), false, Instant.parse("2026-05-04T10:01:00Z")));
    }

    @Test
    void missedInstantsBecomeOneCatchUpFiringOfTheFirstThenTheNextAfterNow() {
        Instant missed = Instant.parse("2026-05-04T07:00:00Z");

        Firing firing = FireTimes.fire(due("0 * * * *", missed), NOW);

        assertThat(firing).isEqualTo(new Firing(missed, true, Instant.parse("2026-05-04T11:00:00Z")));
    }

    @Test
    void aOneTimeScheduleFiresOnceAndHasNoNextInstant() {
        Instant runAt = Instant.parse("2026-05-04T09:00:00Z");
        var due = new DueCursor(UUID.randomUUID(), "t", 2, runAt, "scheduled", null, "UTC");

        assertThat(FireTimes.fire(due, NOW)).isEqualTo(new Firing(runAt, false, null));
    }

    private static ScheduleRow cron(String expression, @Nullable Instant shown) {
        return schedule("cron", expression, null, shown);
    }

    private static ScheduleRow schedule(
            String type, @Nullable String cron, @Nullable Instant runAt, @Nullable Instant shown) {
        return new ScheduleRow(UUID.randomUUID(), "t", type, cron, "UTC", runAt, shown, 1);
    }

    private static DueCursor due(String cron, Instant nextFireAt) {
        return new DueCursor(UUID.randomUUID(), "t", 1, nextFireAt, "cron", cron, "UTC");
    }
}
