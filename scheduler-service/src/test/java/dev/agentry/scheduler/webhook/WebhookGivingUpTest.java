package dev.agentry.scheduler.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentry.scheduler.webhook.WebhookPlatform.DeliveryRow;
import dev.agentry.testkit.webhook.WebhookReceiver;
import dev.agentry.testkit.webhook.WebhookReceiver.Reply;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * An endpoint that fails every attempt for {@code disable-after} is given up, as one that answered 410 Gone is:
 * deliveries of tasks created before then are recorded dead unsent, a task created later tries it again, and a
 * success clears its run of failures.
 */
class WebhookGivingUpTest {

    private static WebhookPlatform platform;
    private static ConfigurableApplicationContext scheduler;

    @BeforeAll
    static void start() {
        platform = new WebhookPlatform();
        // Attempts 1.5 s apart against a give-up time of 1 s: the second failure gives the endpoint up.
        scheduler = platform.startScheduler(
                "--agentry.scheduler.webhooks.retry-schedule=0s,1500ms,1500ms,1500ms",
                "--agentry.scheduler.webhooks.disable-after=1s");
    }

    @AfterAll
    static void stop() {
        scheduler.close();
        platform.close();
    }

    @Test
    void anEndpointThatKeepsFailingIsGivenUpForOlderTasksOnly() {
        String tenant = platform.newTenant();
        platform.setSecret(tenant);
        try (WebhookReceiver receiver = WebhookReceiver.start(n -> n <= 2 ? Reply.status(503) : Reply.ok())) {
            UUID failing = platform.newTask(tenant, receiver.url());
            UUID older = platform.newTask(tenant, receiver.url());
            platform.publish(platform.completed(failing, tenant));

            DeliveryRow dead = awaitStatus(failing, "dead");
            assertThat(dead.attempts()).isEqualTo(2);
            assertThat(platform.attemptsOf(dead.id()))
                    .extracting(WebhookPlatform.AttemptRow::statusCode)
                    .containsExactly(503, 503);
            assertThat(lastError(dead.id())).isNull();
            assertThat(givenUpReason(tenant, receiver.url())).startsWith("every attempt since ");

            platform.publish(platform.completed(older, tenant));
            DeliveryRow unsent = awaitStatus(older, "dead");
            assertThat(unsent.attempts()).isZero();
            assertThat(lastError(unsent.id())).startsWith("Not sent: the endpoint was given up at ");
            assertThat(receiver.received()).hasSize(2);

            UUID newer = platform.newTask(tenant, receiver.url());
            platform.publish(platform.completed(newer, tenant));
            awaitStatus(newer, "succeeded");
            assertThat(receiver.received()).hasSize(3);
            assertThat(platform.jdbc
                            .sql("select count(*) from webhook_endpoint_failures where tenant_id = ?")
                            .param(tenant)
                            .query(Integer.class)
                            .single())
                    .isZero();
        }
    }

    private static DeliveryRow awaitStatus(UUID task, String status) {
        await().atMost(Duration.ofSeconds(20))
                .until(() -> platform.deliveriesOf(task).stream()
                        .anyMatch(row -> row.status().equals(status)));
        return platform.deliveriesOf(task).getFirst();
    }

    private static String lastError(UUID delivery) {
        return platform.jdbc
                .sql("select last_error from webhook_deliveries where id = ?")
                .param(delivery)
                .query((rs, n) -> rs.getString("last_error"))
                .list() // one row, its value may be null
                .getFirst();
    }

    private static String givenUpReason(String tenant, String url) {
        return platform.jdbc
                .sql("select reason from webhook_gone_endpoints where tenant_id = ? and url = ?")
                .params(tenant, url)
                .query(String.class)
                .single();
    }
}
