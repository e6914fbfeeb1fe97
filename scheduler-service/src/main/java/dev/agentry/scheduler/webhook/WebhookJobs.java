package dev.agentry.scheduler.webhook;

import java.util.UUID;
import org.jobrunr.jobs.annotations.Job;

/**
 * The JobRunr side of delivery: a scheduled job per late retry (minutes to hours away). Public, with a public method,
 * because JobRunr finds the bean and method by reflection from the stored job. The job only hands the delivery to the
 * dispatcher, so JobRunr's few workers are never tied up by a slow receiver; the claim in the database decides whether
 * an attempt is due, so a job that fires twice or late sends nothing twice.
 */
public class WebhookJobs {

    private final WebhookDispatcher dispatcher;

    WebhookJobs(WebhookDispatcher dispatcher) {
        this.dispatcher = dispatcher;
    }

    @Job(name = "Webhook delivery %0", retries = 2)
    public void attempt(UUID deliveryId) {
        dispatcher.dispatch(deliveryId);
    }
}
