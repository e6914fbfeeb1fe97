package dev.agentry.scheduler.schedule;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.groups.Tuple.tuple;
import static org.awaitility.Awaitility.await;

import dev.agentry.events.codec.MessageCodec;
import dev.agentry.events.schedule.ScheduleFired;
import dev.agentry.scheduler.schedule.FiringsTopic.Received;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.kafka.core.KafkaTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

class ScheduleFiringTest extends ScheduleIntegrationTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @Autowired
    JdbcClient jdbc;

    @Autowired
    ScheduleFiringLoop loop;

    @Autowired
    ScheduleCursors cursors;

    @Autowired
    ScheduleProperties settings;

    @Autowired
    MeterRegistry meters;

    @Autowired
    KafkaTemplate<String, byte[]> kafka;

    @Autowired
    PlatformTransactionManager transactionManager;

    Conversations conversations;
    FiringsTopic topic;

    @BeforeEach
    void setUp() {
        conversations = new Conversations(jdbc);
        topic = new FiringsTopic();
    }

    @AfterEach
    void tearDown() {
        conversations.deleteAll();
        topic.close();
    }

    @Test
    void firesAPerMinuteCronThroughKafkaAtEachMinute() {
        Instant minute = aMinuteAhead();
        UUID conversation = conversations.cron("* * * * *", "Europe/Berlin");
        awaitCursorAt(conversation, minute);

        CLOCK.set(minute.plusMillis(200));
        await().atMost(WAIT).until(() -> topic.of(conversation).size() == 1);
        CLOCK.set(minute.plusSeconds(60).plusMillis(200));
        await().atMost(WAIT).until(() -> topic.of(conversation).size() == 2);

        List<Received> firings = topic.of(conversation);
        assertThat(firings).extracting(Received::fireTime).containsExactly(minute, minute.plusSeconds(60));
        Received first = firings.getFirst();
        assertThat(first.key()).isEqualTo(conversation.toString());
        assertThat(first.envelope().type()).isEqualTo(ScheduleFired.TYPE);
        assertThat(first.envelope().tenantId()).isEqualTo(conversations.tenant());
        assertThat(first.envelope().id()).isEqualTo(ScheduleFired.envelopeId(conversation, minute));
        assertThat(first.fired().scheduleVersion()).isEqualTo(1);
        assertThat(firings).noneMatch(r -> r.fired().catchUp());
        assertThat(conversations.nextFireAt(conversation)).isEqualTo(minute.plusSeconds(120));
        assertThat(meters.get("agentry.schedule.firing.lag")
                        .tags("type", "cron", "catch_up", "false")
                        .timer()
                        .count())
                .isGreaterThanOrEqualTo(2);
    }

    @Test
    void aFiringClaimedAheadIsSentAtItsInstantNotBefore() {
        Instant minute = aMinuteAhead();
        UUID conversation = conversations.cron("* * * * *", "UTC");
        awaitCursorAt(conversation, minute);

        // Inside the lookahead: the loop claims and prepares the firing, but may not send it yet.
        CLOCK.set(minute.minus(settings.lookahead()).plusMillis(500));
        await().during(Duration.ofMillis(400))
                .atMost(WAIT)
                .until(() -> topic.of(conversation).isEmpty());
        CLOCK.set(minute);

        await().atMost(WAIT).until(() -> topic.of(conversation).size() == 1);
        Received fired = topic.of(conversation).getFirst();
        assertThat(fired.fireTime()).isEqualTo(minute);
        assertThat(fired.fired().catchUp()).isFalse();
        await().atMost(WAIT).until(() -> minute.plusSeconds(60).equals(conversations.nextFireAt(conversation)));
    }

    @Test
    void twoLoopsOnOneDatabasePublishEachFiringOnce() {
        Instant minute = aMinuteAhead();
        Set<UUID> ids = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            ids.add(conversations.cron("* * * * *", "UTC"));
        }
        SimpleMeterRegistry secondMeters = new SimpleMeterRegistry();
        ScheduleFiringLoop second = secondLoop(secondMeters);
        second.start();
        try {
            await().atMost(WAIT).until(() -> ids.stream().allMatch(id -> minute.equals(conversations.nextFireAt(id))));
            for (int m = 0; m < 3; m++) {
                int expected = ids.size() * (m + 1);
                CLOCK.set(minute.plusSeconds(60L * m).plusMillis(100));
                await().atMost(WAIT).until(() -> topic.ofAny(ids).size() >= expected);
            }
            // Nothing more may arrive: a duplicate would be published right beside the original.
            await().during(Duration.ofMillis(500))
                    .atMost(WAIT)
                    .until(() -> topic.ofAny(ids).size() == ids.size() * 3);
        } finally {
            second.stop();
        }

        List<Received> firings = topic.ofAny(ids);
        var perConversation = firings.stream()
                .collect(Collectors.groupingBy(
                        Received::conversation, Collectors.mapping(Received::fireTime, Collectors.toList())));
        assertThat(perConversation).hasSize(ids.size());
        assertThat(perConversation.values())
                .allSatisfy(times -> assertThat(times)
                        .containsExactlyInAnyOrder(minute, minute.plusSeconds(60), minute.plusSeconds(120)));
        double bySecond = secondMeters.get("agentry.schedule.firings").counters().stream()
                .mapToDouble(c -> c.count())
                .sum();
        assertThat(bySecond).as("firings published by the second loop").isBetween(1.0, firings.size() - 1.0);
    }

    @Test
    void aRestartAfterDowntimeFiresOneCatchUpThenGoesOnFromNow() {
        Instant minute = aMinuteAhead();
        UUID conversation = conversations.cron("* * * * *", "UTC");
        awaitCursorAt(conversation, minute);

        loop.stop();
        Instant back = minute.plus(Duration.ofMinutes(10)).plusSeconds(5);
        try {
            CLOCK.set(back);
        } finally {
            loop.start();
        }

        await().atMost(WAIT).until(() -> topic.of(conversation).size() == 1);
        Received catchUp = topic.of(conversation).getFirst();
        assertThat(catchUp.fireTime()).isEqualTo(minute);
        assertThat(catchUp.fired().catchUp()).isTrue();
        Instant next = minute.plus(Duration.ofMinutes(11));
        await().atMost(WAIT).until(() -> next.equals(conversations.nextFireAt(conversation)));

        CLOCK.set(next.plusMillis(100));
        await().atMost(WAIT).until(() -> topic.of(conversation).size() == 2);
        assertThat(topic.of(conversation))
                .extracting(Received::fireTime, r -> r.fired().catchUp())
                .containsExactly(tuple(minute, true), tuple(next, false));
    }

    @Test
    void archivingAConversationStopsItsSchedule() {
        Instant minute = aMinuteAhead();
        UUID archived = conversations.cron("* * * * *", "UTC");
        UUID control = conversations.cron("* * * * *", "UTC");
        awaitCursorAt(archived, minute);
        awaitCursorAt(control, minute);
        CLOCK.set(minute.plusMillis(100));
        await().atMost(WAIT).until(() -> topic.of(archived).size() == 1);

        conversations.archive(archived);
        await().atMost(WAIT).until(() -> !conversations.hasCursor(archived));
        CLOCK.set(minute.plusSeconds(60).plusMillis(100));

        await().atMost(WAIT).until(() -> topic.of(control).size() == 2);
        assertThat(topic.of(archived)).extracting(Received::fireTime).containsExactly(minute);
    }

    @Test
    void aScheduleThatCannotBeEvaluatedIsMarkedAndTheOthersStillFire() {
        Instant minute = aMinuteAhead();
        UUID badCron = conversations.cron("every minute please", "UTC");
        UUID badZone = conversations.cron("* * * * *", "Mars/Olympus_Mons");
        UUID good = conversations.cron("* * * * *", "UTC");
        awaitCursorAt(good, minute);

        CLOCK.set(minute.plusMillis(100));

        await().atMost(WAIT).until(() -> topic.of(good).size() == 1);
        assertThat(conversations.cursorError(badCron)).startsWith("Invalid cron expression: expected 5 fields");
        assertThat(conversations.cursorError(badZone)).isEqualTo("Unknown time zone: Mars/Olympus_Mons");
        assertThat(conversations.nextFireAt(badCron)).isNull();
        assertThat(topic.ofAny(Set.of(badCron, badZone))).isEmpty();
    }

    @Test
    void oneTimeAndImmediateSchedulesFireOnce() {
        Instant minute = aMinuteAhead();
        Instant runAt = minute.plusSeconds(30);
        UUID scheduled = conversations.insert("scheduled", null, "UTC", runAt, runAt);
        Instant shown = CLOCK.instant();
        UUID immediate = conversations.insert("immediate", null, "UTC", null, shown);

        await().atMost(WAIT).until(() -> topic.of(immediate).size() == 1);
        awaitCursorAt(scheduled, runAt);
        CLOCK.set(runAt.plusMillis(100));
        await().atMost(WAIT).until(() -> topic.of(scheduled).size() == 1);
        await().atMost(WAIT)
                .until(() -> conversations.hasCursor(scheduled) && conversations.nextFireAt(scheduled) == null);
        CLOCK.set(runAt.plus(Duration.ofMinutes(5)));
        UUID control = conversations.cron("* * * * *", "UTC");
        Instant controlMinute = runAt.plus(Duration.ofMinutes(6)).truncatedTo(ChronoUnit.MINUTES);
        awaitCursorAt(control, controlMinute);
        CLOCK.set(controlMinute.plusMillis(100));
        await().atMost(WAIT).until(() -> topic.of(control).size() == 1);

        assertThat(topic.of(immediate)).extracting(Received::fireTime).containsExactly(shown);
        assertThat(topic.of(scheduled)).extracting(Received::fireTime).containsExactly(runAt);
        assertThat(topic.of(scheduled).getFirst().fired().catchUp()).isFalse();
    }

    /** Moves the clock to 30 s before a whole minute and returns that minute. */
    private static Instant aMinuteAhead() {
        Instant minute = CLOCK.instant().truncatedTo(ChronoUnit.MINUTES).plus(Duration.ofMinutes(2));
        CLOCK.set(minute.minusSeconds(30));
        return minute;
    }

    private void awaitCursorAt(UUID conversation, Instant instant) {
        await().atMost(WAIT).until(() -> instant.equals(conversations.nextFireAt(conversation)));
    }

    private ScheduleFiringLoop secondLoop(MeterRegistry registry) {
        var firer = new ScheduleFirer(
                cursors,
                new FiringPublisher(kafka, new MessageCodec(), CLOCK),
                new TransactionTemplate(transactionManager),
                settings,
                CLOCK,
                registry);
        return new ScheduleFiringLoop(
                firer, cursors, settings.pollInterval(), settings.lookahead(), settings.threads(), CLOCK);
    }
}
