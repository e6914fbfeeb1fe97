package dev.agentry.api.task;

import dev.agentry.api.outbox.Outbox;
import dev.agentry.api.quota.QuotaProperties;
import dev.agentry.api.quota.Quotas;
import dev.agentry.api.support.BackgroundLoop;
import dev.agentry.api.tenant.TenantId;
import dev.agentry.events.Envelope;
import dev.agentry.events.Topics;
import dev.agentry.events.codec.MessageCodec;
import dev.agentry.events.task.RunTask;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.transaction.event.TransactionalEventListener;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Admission control for tenants with a running-tasks limit: their tasks wait {@code pending} in PostgreSQL, and
 * this dispatcher hands a tenant's oldest waiting tasks to the workers' queue (through the outbox) only while
 * the tenant has fewer admitted, unfinished tasks than its limit. Each tenant's admissions depend on its own
 * count alone, and every pass serves every waiting tenant, so one tenant's flood of 500 tasks occupies at most
 * its limit of the queue and never delays another tenant's first task beyond one pass. The queue never holds
 * more than the admitted tasks.
 *
 * <p>A follow-up iteration of a finished task ({@code instruct}) runs an agent too, so it waits and is admitted the
 * same way: a tenant's waiting work is served oldest first by when its current iteration was asked for (a new
 * task's creation, a follow-up's instruction), and an admitted follow-up's run goes to the worker that holds its
 * workspace ({@link TaskLifecycle#startAdmittedFollowUp}) rather than to the queue.
 *
 * <p>One pass at a time across API instances (a transaction-scoped advisory lock), so two instances cannot both
 * admit the last free slot. A pass runs when a deferred task commits ({@link Admission.Deferred}) and otherwise every
 * {@code agentry.api.quotas.admission-interval}, which is how finished tasks free their slots.
 */
@Component
class AdmissionDispatcher extends BackgroundLoop {

    private static final Logger log = LoggerFactory.getLogger(AdmissionDispatcher.class);

    private final AdmissionQueue queue;
    private final Tasks tasks;
    private final TransactionTemplate transactions;
    private final Outbox outbox;
    private final MessageCodec codec;
    private final Quotas quotas;
    private final TaskLifecycle followUps;
    private final QuotaProperties properties;

    AdmissionDispatcher(
            AdmissionQueue queue,
            Tasks tasks,
            TransactionTemplate transactions,
            Outbox outbox,
            MessageCodec codec,
            Quotas quotas,
            TaskLifecycle followUps,
            QuotaProperties properties) {
        super("admission-dispatcher", properties.admissionInterval(), Retry.atNextPoll(), Duration.ofSeconds(5));
        this.queue = queue;
        this.tasks = tasks;
        this.transactions = transactions;
        this.outbox = outbox;
        this.codec = codec;
        this.quotas = quotas;
        this.followUps = followUps;
        this.properties = properties;
    }

    /** Work was left waiting and its transaction has committed: a pass now rather than at the next interval. */
    @TransactionalEventListener
    void onDeferred(Admission.Deferred deferred) {
        wakeUp();
    }

    /** Never asks for an immediate next pass: a tenant with more than a batch waiting gets the rest at the next one. */
    @Override
    protected boolean runPass() {
        admitPass();
        return false;
    }

    @Override
    protected void onFailing(RuntimeException failure) {
        log.warn("The admission dispatcher failed a pass; it will retry.", failure);
    }

    @Override
    protected void onRecovery() {
        log.info("The admission dispatcher works again.");
    }

    /** One pass over every tenant with waiting tasks; answers how many tasks it admitted. */
    int admitPass() {
        Integer admitted = transactions.execute(status -> {
            if (!queue.tryLockPass()) {
                return 0;
            }
            int total = 0;
            for (TenantId tenant : queue.waitingTenants()) {
                total += admit(tenant);
            }
            return total;
        });
        return admitted == null ? 0 : admitted;
    }

    private int admit(TenantId tenant) {
        int limit = quotas.cachedLimits(tenant).maxRunningTasks();
        int free = limit == 0 ? properties.admissionBatch() : limit - tasks.admittedActive(tenant);
        if (free <= 0) {
            return 0;
        }
        List<AdmissionQueue.Waiting> waiting = queue.oldest(tenant, Math.min(free, properties.admissionBatch()));
        for (AdmissionQueue.Waiting task : waiting) {
            RunTask run = codec.mapper().readValue(task.runSpec(), RunTask.class);
            if (run.iteration() > 1) {
                followUps.startAdmittedFollowUp(tenant, task.id(), run);
            } else {
                outbox.append(Topics.TASK_COMMANDS, Envelope.of(task.id(), tenant.value(), run), Map.of());
            }
            queue.markAdmitted(task.id());
        }
        if (!waiting.isEmpty()) {
            log.debug("Admitted {} tasks of tenant {} (limit {}).", waiting.size(), tenant, limit);
        }
        return waiting.size();
    }
}
