package dev.agentry.api.conversation;

import dev.agentry.events.Envelope;
import dev.agentry.events.Topics;
import dev.agentry.events.conversation.CreateSchedule;
import dev.agentry.events.conversation.RunTurn;
import dev.agentry.events.conversation.ScheduleSpec;
import dev.agentry.events.conversation.TurnAction;
import dev.agentry.events.conversation.TurnCompleted;
import dev.agentry.events.schedule.ScheduleFired;
import dev.agentry.events.task.Usage;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The API with a test worker: chat turns, firings and their projection through the real outbox, Kafka and projector.
 * One Spring context for every subclass (the properties are declared here once).
 */
abstract class TurnTestSupport extends ConversationApiSupport {

    protected static final Usage USAGE = new Usage(10, 5, 1, null);
    protected static TestWorker worker;

    @DynamicPropertySource
    static void conversations(DynamicPropertyRegistry registry) {
        registry.add("agentry.api.conversations.projector-group", () -> "conversations-" + UUID.randomUUID());
        registry.add("agentry.api.conversations.firings-group", () -> "firings-" + UUID.randomUUID());
        registry.add("agentry.api.conversations.turn-wait", () -> "5s");
    }

    @BeforeAll
    static void startWorker() {
        worker = new TestWorker();
    }

    @AfterAll
    static void stopWorker() {
        worker.close();
    }

    protected CompletableFuture<Response> send(String conversationId, String content) {
        return CompletableFuture.supplyAsync(
                () -> post("/api/conversations/" + conversationId + "/messages", "{\"content\":\"" + content + "\"}"));
    }

    protected static TurnCompleted completed(Envelope<RunTurn> command, String reply, TurnAction... actions) {
        return new TurnCompleted(command.payload().turnId(), reply, List.of(actions), USAGE);
    }

    protected static CreateSchedule dailyAtEight() {
        return new CreateSchedule(
                new ScheduleSpec(ScheduleSpec.CRON, "0 8 * * *", "Europe/Berlin", null, "check the weather"), null);
    }

    /** A conversation with the daily cron schedule, made by a chat turn as a user would. */
    protected String scheduledConversation() {
        String id = createConversation(TOKEN);
        CompletableFuture<Response> reply = send(id, "Every morning please");
        Envelope<RunTurn> command = worker.nextCommand(id);
        worker.publish(command, completed(command, "Will do.", dailyAtEight()));
        expect(reply.join(), 200);
        return id;
    }

    protected int scheduleVersion(String id) {
        return jdbc.sql("select schedule_version from conversations where id = ?::uuid")
                .param(id)
                .query(Integer.class)
                .single();
    }

    protected void fire(String id, int version, Instant fireTime) {
        worker.publish(
                Topics.SCHEDULE_FIRINGS,
                new Envelope<>(
                        ScheduleFired.envelopeId(UUID.fromString(id), fireTime),
                        ScheduleFired.TYPE,
                        UUID.fromString(id),
                        "tenant-a",
                        Instant.now(),
                        Envelope.SCHEMA_VERSION,
                        new ScheduleFired(version, fireTime, false)));
    }

    protected List<Map<String, Object>> firingTurns(String id) {
        return jdbc.sql("""
                select fire_time, status, skip_reason from conversation_turns
                where conversation_id = ?::uuid and trigger = 'schedule' order by fire_time""").param(id).query().listOfRows();
    }
}
