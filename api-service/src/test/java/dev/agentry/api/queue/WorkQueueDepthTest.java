package dev.agentry.api.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentry.api.ApiIntegrationTest;
import dev.agentry.events.task.ChangesSummary;
import dev.agentry.events.task.TaskCompleted;
import dev.agentry.events.task.TaskRunning;
import dev.agentry.events.task.TaskStarted;
import dev.agentry.events.task.Usage;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.test.context.TestPropertySource;

/** The gauge the workers autoscale on, read from {@code /metrics} as Prometheus (and so KEDA) reads it. */
@TestPropertySource(properties = "agentry.api.queue-depth.refresh=0s")
class WorkQueueDepthTest extends ApiIntegrationTest {

    private static final String TASK = "{\"repo_url\":\"https://github.com/a/b.git\",\"prompt\":\"p\"}";

    @Test
    void countsAdmittedTasksAsWaitingThenRunningAndDropsThemWhenTheyEnd() {
        UUID first = UUID.fromString(createTask(TASK));
        UUID second = UUID.fromString(createTask(TASK));

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(depth("task", "waiting")).isEqualTo(2);
            assertThat(depth("task", "running")).isZero();
        });

        publishEvent(first, new TaskStarted(1, "w1", 1, "cloning"));
        publishEvent(first, new TaskRunning(1, "w1"));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(depth("task", "waiting")).isEqualTo(1);
            assertThat(depth("task", "running")).isEqualTo(1);
        });

        publishEvent(
                first,
                new TaskCompleted(1, "done", new Usage(1, 1, 1, BigDecimal.ONE), new ChangesSummary(0, 0, 0), null));
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(depth("task", "waiting")).isEqualTo(1);
            assertThat(depth("task", "running")).isZero();
        });
        assertThat(second).isNotEqualTo(first);
    }

    @Test
    void countsConversationTurnsQueuedAndRunning() {
        UUID conversation = UUID.randomUUID();
        jdbc.sql(
                        "insert into conversations (id, tenant_id, user_id, title, created_at, updated_at) values (?, 'tenant-a', 'u1', 't', now(), now())")
                .param(conversation)
                .update();
        insertTurn(conversation, "queued");
        insertTurn(conversation, "running");
        insertTurn(conversation, "running");
        insertTurn(conversation, "completed");

        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(depth("turn", "waiting")).isEqualTo(1);
            assertThat(depth("turn", "running")).isEqualTo(2);
        });
    }

    private void insertTurn(UUID conversation, String status) {
        jdbc.sql("""
                        insert into conversation_turns (id, conversation_id, tenant_id, user_id, trigger, status,
                                                        status_before, created_at)
                        values (?, ?, 'tenant-a', 'u1', 'chat', ?, 'active', now())""").params(UUID.randomUUID(), conversation, status).update();
    }

    /** The gauge's value in the Prometheus text format, under the exported name KEDA's query uses. */
    private long depth(String work, String state) {
        Response metrics = send(request("/metrics").GET());
        assertThat(metrics.status()).isEqualTo(200);
        String stateLabel = "state=\"" + state + "\"";
        String workLabel = "work=\"" + work + "\"";
        return metrics.body()
                .lines()
                .filter(line -> line.startsWith("agentry_queue_depth{")
                        && line.contains(stateLabel)
                        && line.contains(workLabel))
                .map(line -> (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst()
                .orElseThrow(() -> new AssertionError(
                        "no series agentry_queue_depth{" + workLabel + "," + stateLabel + "} in /metrics"));
    }
}
