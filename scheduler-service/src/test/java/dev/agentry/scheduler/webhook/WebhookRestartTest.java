package dev.agentry.scheduler.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.agentry.testkit.webhook.StandardWebhooksVerifier;
import dev.agentry.testkit.webhook.WebhookReceiver;
import dev.agentry.testkit.webhook.WebhookReceiver.Received;
import dev.agentry.testkit.webhook.WebhookReceiver.Reply;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.context.ConfigurableApplicationContext;

class WebhookRestartTest {

    private static WebhookPlatform platform;

    @BeforeAll
    static void start() {
        platform = new WebhookPlatform();
    }

    @AfterAll
    static void stop() {
        platform.close();
    }

    @Test
    void aRetryPendingInJobRunrIsDeliveredOnceByTheNextSchedulerAfterARestart() {
        String tenant = platform.newTenant();
        String secret = platform.setSecret(tenant);
        try (WebhookReceiver receiver = WebhookReceiver.start(n -> n == 1 ? Reply.status(503) : Reply.ok())) {
            UUID task = platform.newTask(tenant, receiver.url());
            // Every retry goes to JobRunr (nothing is timed in process), 3 s after the first attempt.
            ConfigurableApplicationContext first = platform.startScheduler(
                    "--agentry.scheduler.webhooks.retry-schedule=0s,3s,3s",
                    "--agentry.scheduler.webhooks.in-process-delay-limit=0s");
            platform.publish(platform.completed(task, tenant));
            await().atMost(Duration.ofSeconds(20))
                    .until(() -> platform.deliveriesOf(task).stream()
                            .anyMatch(row -> row.attempts() == 1 && row.status().equals("pending")));
            await().atMost(Duration.ofSeconds(20)).until(() -> scheduledWebhookJobs() > 0);

            first.close();
            ConfigurableApplicationContext second = platform.startScheduler();
            try {
                await().atMost(Duration.ofSeconds(30))
                        .until(() -> platform.deliveriesOf(task).stream()
                                .anyMatch(row -> row.status().equals("succeeded")));
            } finally {
                second.close();
            }

            List<Received> requests = receiver.received();
            assertThat(requests).hasSize(2);
            assertThat(requests)
                    .extracting(r -> r.header("webhook-id"))
                    .doesNotContainNull()
                    .containsOnly(requests.getFirst().header("webhook-id"));
            assertThat(requests)
                    .allSatisfy(r -> assertThat(StandardWebhooksVerifier.verify(secret, r, Instant.now()))
                            .isTrue());
            UUID delivery = platform.deliveriesOf(task).getFirst().id();
            assertThat(platform.attemptsOf(delivery))
                    .extracting(WebhookPlatform.AttemptRow::statusCode)
                    .containsExactly(503, 200);
        }
    }

    private static int scheduledWebhookJobs() {
        return platform.jdbc.sql("""
                        select count(*) from jobrunr.jobrunr_jobs
                         where state = 'SCHEDULED' and jobsignature like '%WebhookJobs.attempt%'""").query(Integer.class).single();
    }
}
