package dev.agentry.events.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class CronScheduleTest {

    private static final String NEW_YORK = "America/New_York";

    @Test
    void firesEveryMinuteStrictlyAfterTheGivenInstant() {
        var cron = CronSchedule.parse("* * * * *", "UTC");

        assertThat(cron.nextAfter(at("2026-06-01T10:00:30Z"))).isEqualTo(at("2026-06-01T10:01:00Z"));
        assertThat(cron.nextAfter(at("2026-06-01T10:01:00Z"))).isEqualTo(at("2026-06-01T10:02:00Z"));
    }

    @Test
    void understandsListsRangesStepsAndNames() {
        var cron = CronSchedule.parse("0,30 9-17/4 * jan-MAR Mon-fri", "UTC");

        // 2026-01-02 is a Friday; then the weekend is skipped.
        assertThat(firings(cron, at("2026-01-02T12:00:00Z"), 6))
                .containsExactly(
                        at("2026-01-02T13:00:00Z"),
                        at("2026-01-02T13:30:00Z"),
                        at("2026-01-02T17:00:00Z"),
                        at("2026-01-02T17:30:00Z"),
                        at("2026-01-05T09:00:00Z"),
                        at("2026-01-05T09:30:00Z"));
        assertThat(CronSchedule.parse("0 0 31 12 *", "UTC").nextAfter(at("2026-04-01T00:00:00Z")))
                .isEqualTo(at("2026-12-31T00:00:00Z"));
    }

    @Test
    void startValueWithAStepRunsToTheEndOfTheRange() {
        assertThat(firings(CronSchedule.parse("5/20 0 * * *", "UTC"), at("2026-01-01T00:00:00Z"), 3))
                .containsExactly(at("2026-01-01T00:05:00Z"), at("2026-01-01T00:25:00Z"), at("2026-01-01T00:45:00Z"));
    }

    @Test
    void sundayIsBothZeroAndSeven() {
        Instant saturday = at("2026-01-03T12:00:00Z");
        Instant sunday = at("2026-01-04T00:00:00Z");

        assertThat(CronSchedule.parse("0 0 * * 0", "UTC").nextAfter(saturday)).isEqualTo(sunday);
        assertThat(CronSchedule.parse("0 0 * * 7", "UTC").nextAfter(saturday)).isEqualTo(sunday);
        assertThat(CronSchedule.parse("0 0 * * SUN", "UTC").nextAfter(saturday)).isEqualTo(sunday);
        assertThat(CronSchedule.parse("@weekly", "UTC").nextAfter(saturday)).isEqualTo(sunday);
    }

    @Test
    void restrictedDayOfMonthAndDayOfWeekMatchEitherDay() {
        // The 1st of the month or a Monday: 2026-03-01 is a Sunday, 2026-03-02 a Monday.
        var either = CronSchedule.parse("0 0 1 * 1", "UTC");

        assertThat(firings(either, at("2026-02-27T00:00:00Z"), 3))
                .containsExactly(at("2026-03-01T00:00:00Z"), at("2026-03-02T00:00:00Z"), at("2026-03-09T00:00:00Z"));
        // A day field starting with * leaves the other one alone in charge.
        assertThat(CronSchedule.parse("0 0 * * 1", "UTC").nextAfter(at("2026-02-27T00:00:00Z")))
                .isEqualTo(at("2026-03-02T00:00:00Z"));
    }

    @Test
    void aWallClockTimeSkippedBySpringForwardFiresOnceAtTheEndOfTheGap() {
        // 2026-03-08 02:00 EST becomes 03:00 EDT in New York: 02:30 does not exist that day.
        var daily = CronSchedule.parse("30 2 * * *", NEW_YORK);

        assertThat(firings(daily, at("2026-03-07T12:00:00Z"), 3))
                .containsExactly(
                        at("2026-03-08T07:00:00Z"), // 03:00 EDT
                        at("2026-03-09T06:30:00Z"), // 02:30 EDT
                        at("2026-03-10T06:30:00Z"));
    }

    @Test
    void severalSkippedWallClockTimesFireOnceBetweenThem() {
        var halfHourly = CronSchedule.parse("*/30 * * * *", NEW_YORK);

        assertThat(firings(halfHourly, at("2026-03-08T06:00:00Z"), 4))
                .containsExactly(
                        at("2026-03-08T06:30:00Z"), // 01:30 EST
                        at("2026-03-08T07:00:00Z"), // 03:00 EDT, standing for 02:00 and 02:30 and itself
                        at("2026-03-08T07:30:00Z"), // 03:30 EDT
                        at("2026-03-08T08:00:00Z"));
    }

    @Test
    void aWallClockTimeRepeatedByFallBackFiresOnce() {
        // 2026-11-01 02:00 EDT becomes 01:00 EST: 01:30 happens twice, it fires at the first.
        var daily = CronSchedule.parse("30 1 * * *", NEW_YORK);

        assertThat(firings(daily, at("2026-10-31T12:00:00Z"), 2))
                .containsExactly(
                        at("2026-11-01T05:30:00Z"), // 01:30 EDT
                        at("2026-11-02T06:30:00Z")); // 01:30 EST
        // Asked from inside the repeated hour, it does not fire again that day.
        assertThat(daily.nextAfter(at("2026-11-01T06:15:00Z"))).isEqualTo(at("2026-11-02T06:30:00Z"));
    }

    @Test
    void theRepeatedHourRunsOnceForAFrequentSchedule() {
        var halfHourly = CronSchedule.parse("*/30 * * * *", NEW_YORK);

        assertThat(firings(halfHourly, at("2026-11-01T04:45:00Z"), 3))
                .containsExactly(
                        at("2026-11-01T05:00:00Z"), // 01:00 EDT
                        at("2026-11-01T05:30:00Z"), // 01:30 EDT
                        at("2026-11-01T07:00:00Z")); // 02:00 EST
    }

    @Test
    void evaluatesInTheGivenZoneAcrossItsOwnTransitions() {
        var nine = CronSchedule.parse("0 9 * * *", "Europe/Berlin");
        var halfPastTwo = CronSchedule.parse("30 2 * * *", "Europe/Berlin");

        assertThat(nine.nextAfter(at("2026-01-15T12:00:00Z"))).isEqualTo(at("2026-01-16T08:00:00Z")); // CET
        assertThat(nine.nextAfter(at("2026-07-15T12:00:00Z"))).isEqualTo(at("2026-07-16T07:00:00Z")); // CEST
        // Berlin springs forward on 2026-03-29 at 02:00 CET, three weeks after New York.
        assertThat(halfPastTwo.nextAfter(at("2026-03-28T12:00:00Z"))).isEqualTo(at("2026-03-29T01:00:00Z"));
        assertThat(halfPastTwo.nextAfter(at("2026-10-24T12:00:00Z"))).isEqualTo(at("2026-10-25T00:30:00Z"));
    }

    @Test
    void leapDayFiresOnlyInLeapYears() {
        var leapDay = CronSchedule.parse("0 0 29 2 *", "UTC");

        assertThat(leapDay.nextAfter(at("2026-01-01T00:00:00Z"))).isEqualTo(at("2028-02-29T00:00:00Z"));
        assertThat(leapDay.nextAfter(at("2028-02-29T00:00:00Z"))).isEqualTo(at("2032-02-29T00:00:00Z"));
        // 2100 is not a leap year.
        assertThat(leapDay.nextAfter(at("2096-03-01T00:00:00Z"))).isEqualTo(at("2104-02-29T00:00:00Z"));
    }

    @Test
    void theThirtyFirstSkipsShortMonths() {
        var endOfMonth = CronSchedule.parse("0 0 31 * *", "UTC");

        assertThat(firings(endOfMonth, at("2026-01-31T00:00:00Z"), 4))
                .containsExactly(
                        at("2026-03-31T00:00:00Z"),
                        at("2026-05-31T00:00:00Z"),
                        at("2026-07-31T00:00:00Z"),
                        at("2026-08-31T00:00:00Z"));
    }

    @Test
    void expandsMacros() {
        assertThat(CronSchedule.parse("@hourly", "UTC").nextAfter(at("2026-01-01T10:10:00Z")))
                .isEqualTo(at("2026-01-01T11:00:00Z"));
        assertThat(CronSchedule.parse("@DAILY", "Europe/Berlin").nextAfter(at("2026-01-01T10:10:00Z")))
                .isEqualTo(at("2026-01-01T23:00:00Z"));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "* * * *             | expected 5 fields (minute hour day-of-month month day-of-week), got 4",
                "* * * * * *         | got 6",
                "''                  | got 0",
                "60 * * * *          | minute value 60 is out of range 0-59",
                "* 24 * * *          | hour value 24 is out of range 0-23",
                "* * 0 * *           | day of month value 0 is out of range 1-31",
                "* * * 13 *          | month value 13 is out of range 1-12",
                "* * * * 8           | day of week value 8 is out of range 0-7",
                "*/0 * * * *         | minute step 0 must be at least 1",
                "30-10 * * * *       | minute range 30-10 starts after it ends",
                "x * * * *           | minute value \"x\" is not a number",
                "* * * FOO *         | month value \"FOO\" is not a number or a name",
                "* * * * MON-        | day of week value \"\" is not a number or a name",
                "1,,2 * * * *        | minute has an empty list element",
                "0 0 30 2 *          | day of month never occurs in the months given",
                "0 0 31 4,6,9,11 *   | day of month never occurs in the months given",
            })
    void refusesAnInvalidExpressionNamingTheProblem(String expression, String problem) {
        assertThatThrownBy(() -> CronSchedule.parse(expression, "UTC"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Invalid cron expression: ")
                .hasMessageContaining(problem);
    }

    @Test
    void refusesAMissingExpression() {
        assertThatThrownBy(() -> CronSchedule.parse(null, "UTC"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Invalid cron expression: ");
    }

    @ParameterizedTest
    @CsvSource({"Mars/Olympus_Mons", "+05:00", "america/new_york", "''"})
    void refusesAZoneThatIsNotAnIanaName(String zone) {
        assertThatThrownBy(() -> CronSchedule.parse("* * * * *", zone))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Unknown time zone: " + zone);
    }

    @Test
    void acceptsIanaNamesIncludingUtc() {
        assertThat(CronSchedule.zone("UTC").getId()).isEqualTo("UTC");
        assertThat(CronSchedule.parse("0 0 * * *", "Asia/Kolkata").zoneId().getId())
                .isEqualTo("Asia/Kolkata");
    }

    @Test
    void firingIdsAreTheSameForTheSameConversationAndInstant() {
        var conversation = java.util.UUID.randomUUID();
        Instant fireTime = at("2026-01-01T09:00:00Z");

        assertThat(ScheduleFired.envelopeId(conversation, fireTime))
                .isEqualTo(ScheduleFired.envelopeId(conversation, fireTime))
                .isNotEqualTo(ScheduleFired.envelopeId(conversation, fireTime.plusSeconds(60)))
                .isNotEqualTo(ScheduleFired.envelopeId(java.util.UUID.randomUUID(), fireTime));
    }

    private static List<Instant> firings(CronSchedule cron, Instant after, int count) {
        List<Instant> firings = new ArrayList<>();
        Instant last = after;
        for (int i = 0; i < count; i++) {
            last = cron.nextAfter(last);
            firings.add(last);
        }
        return firings;
    }

    private static Instant at(String instant) {
        return OffsetDateTime.parse(instant).toInstant();
    }
}
