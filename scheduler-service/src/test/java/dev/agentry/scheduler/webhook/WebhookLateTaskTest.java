package dev.agentry.scheduler.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentry.testkit.webhook.WebhookReceiver;
import dev.agentry.testkit.webhook.WebhookReceiver.Received;
import dev.agentry.testkit.webhook.WebhookReceiver.Reply;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * An event can reach the scheduler before the task row it needs is visible (a replica's lag); it waits for it, up to
 * {@code missing-task-wait}. An unreachable database is waited out however long it lasts.
 */
class WebhookLateTaskTest {

    private static WebhookPlatform platform;
    private static ConfigurableApplicationContext scheduler;

    @BeforeAll
    static void start() {
        platform = new WebhookPlatform();
        scheduler = platform.startScheduler("--agentry.scheduler.webhooks.missing-task-wait=3s");
    }

    @AfterAll
    static void stop() {
        scheduler.close();
        platform.close();
    }

    @Test
    void eventsWaitOutADatabaseOutageLongerThanTheMissingTaskWaitAndNoneIsSkipped() {
        String tenant = platform.newTenant();
        platform.setSecret(tenant);
        try (WebhookReceiver receiver = WebhookReceiver.start(n -> Reply.ok())) {
            UUID task = platform.newTask(tenant, receiver.url());
            // The intake's queries fail (a DataAccessException, as when PostgreSQL is away) until the table is back.
            platform.jdbc
                    .sql("alter table webhook_deliveries rename to webhook_deliveries_away")
                    .update();
            try {
                platform.publish(platform.completed(task, tenant));
                // Longer than missing-task-wait (3 s), after which an event whose task is missing would be skipped.
                await().during(Duration.ofSeconds(5))
                        .atMost(Duration.ofSeconds(7))
                        .until(() -> receiver.received().isEmpty());
            } finally {
                platform.jdbc
                        .sql("alter table webhook_deliveries_away rename to webhook_deliveries")
                        .update();
            }

            await().atMost(Duration.ofSeconds(15))
                    .until(() -> receiver.received().size() == 1);
            platform.awaitAllConsumed();
            assertThat(receiver.received()).hasSize(1);
        }
    }

    @Test
    void anEventThatArrivesBeforeItsTaskIsDeliveredOnceTheTaskAppearsAndNothingIsSentTwice() {
        String tenant = platform.newTenant();
        platform.setSecret(tenant);
        try (WebhookReceiver receiver = WebhookReceiver.start(n -> Reply.ok())) {
            UUID before = platform.newTask(tenant, receiver.url("/before"));
            UUID late = UUID.randomUUID();
            UUID after = platform.newTask(tenant, receiver.url("/after"));
            platform.publish(platform.completed(before, tenant), 0);
            platform.publish(platform.completed(late, tenant), 0);
            platform.publish(platform.completed(after, tenant), 0);

            await().atMost(Duration.ofSeconds(10))
                    .until(() -> receiver.received().size() == 1);
            assertThat(receiver.received().getFirst().path()).isEqualTo("/before");

            platform.newTask(late, tenant, receiver.url("/late"), null);

            await().atMost(Duration.ofSeconds(15))
                    .until(() -> receiver.received().size() >= 3);
            platform.awaitAllConsumed();
            assertThat(receiver.received())
                    .extracting(Received::path)
                    .containsExactlyInAnyOrder("/before", "/late", "/after");
        }
    }
}
