package dev.agentry.scheduler.reaper;

import dev.agentry.scheduler.SchedulerProperties;
import org.jobrunr.scheduling.JobScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

/**
 * Registers the reaper as a JobRunr recurring job at start-up, with the interval from configuration (a typed
 * {@code Duration}, which {@code @Recurring}'s string attributes could not validate). JobRunr stores it in
 * PostgreSQL and runs each firing once across all scheduler replicas.
 */
@Component
class ReaperSchedule {

    private static final Logger log = LoggerFactory.getLogger(ReaperSchedule.class);

    private final JobScheduler jobScheduler;
    private final SchedulerProperties.Reaper settings;

    ReaperSchedule(JobScheduler jobScheduler, SchedulerProperties properties) {
        this.jobScheduler = jobScheduler;
        this.settings = properties.reaper();
    }

    @EventListener(ApplicationReadyEvent.class)
    void register() {
        if (!settings.enabled()) {
            jobScheduler.deleteRecurringJob(StuckTaskReaper.RECURRING_JOB_ID);
            log.info("The stuck-task reaper is disabled; removed its recurring job if it was registered.");
            return;
        }
        jobScheduler.<StuckTaskReaper>scheduleRecurrently(
                StuckTaskReaper.RECURRING_JOB_ID, settings.interval(), reaper -> reaper.reap());
        log.info(
                "The stuck-task reaper runs every {}: no heartbeat for {} or {} past a task's timeout fails it.",
                settings.interval(),
                settings.staleAfter(),
                settings.timeoutMargin());
    }
}
