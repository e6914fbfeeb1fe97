package dev.agentry.api.quota;

import dev.agentry.api.outbox.Outbox;
import dev.agentry.api.support.BackgroundLoop;
import dev.agentry.api.task.TaskLifecycle;
import dev.agentry.api.tenant.TenantId;
import dev.agentry.events.Envelope;
import dev.agentry.events.Topics;
import dev.agentry.events.codec.MessageCodec;
import dev.agentry.events.task.RunTask;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
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
 * admit the last free slot. A pass runs when a deferred task commits and otherwise every
 * {@code agentry.api.quotas.admission-interval}, which is how finished tasks free their slots.
 */
@Component
class AdmissionDispatcher extends BackgroundLoop {

    private static final Logger log = LoggerFactory.getLogger(AdmissionDispatcher.class);

    private final JdbcClient jdbc;
    private final TransactionTemplate transactions;
    private final Outbox outbox;
    private final MessageCodec codec;
    private final Quotas quotas;
    private final TaskLifecycle followUps;
    private final QuotaProperties properties;

    AdmissionDispatcher(
            JdbcClient jdbc,
            TransactionTemplate transactions,
            Outbox outbox,
            MessageCodec codec,
            Quotas quotas,
            TaskLifecycle followUps,
            QuotaProperties properties) {
        super("admission-dispatcher", properties.admissionInterval(), Retry.atNextPoll(), Duration.ofSeconds(5));
        this.jdbc = jdbc;
        this.transactions = transactions;
        this.outbox = outbox;
        this.codec = codec;
        this.quotas = quotas;
        this.followUps = followUps;
        this.properties = properties;
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
            boolean mine = jdbc.sql("select pg_try_advisory_xact_lock(hashtext('agentry.admission'))")
                    .query(Boolean.class)
                    .single();
            if (!mine) {
                return 0;
            }
            List<String> waiting = jdbc.sql("""
                    select t.tenant_id from tasks t
                    left join task_iterations i on i.task_id = t.id and i.number = t.iteration
                    where t.admitted_at is null and t.status = 'pending' and t.cancelled_at is null
                    group by t.tenant_id order by min(coalesce(i.created_at, t.created_at))""").query(String.class).list();
            int total = 0;
            for (String tenant : waiting) {
                total += admit(new TenantId(tenant));
            }
            return total;
        });
        return admitted == null ? 0 : admitted;
    }

    /**
     * Oldest first by when the current iteration was asked for: a task's iteration row is written with it, a
     * follow-up's by the instruction (the task's own {@code created_at} would put a follow-up ahead of tasks
     * submitted while its first iteration ran). A task being cancelled holds its row lock and is skipped; once
     * cancelled it is never admitted.
     */
    private int admit(TenantId tenant) {
        int limit = quotas.cachedLimits(tenant).maxRunningTasks();
        int free = limit == 0 ? properties.admissionBatch() : limit - quotas.running(tenant);
        if (free <= 0) {
            return 0;
        }
        List<Waiting> tasks = jdbc.sql("""
                select t.id, t.run_spec::text as run_spec from tasks t
                left join task_iterations i on i.task_id = t.id and i.number = t.iteration
                where t.tenant_id = ? and t.admitted_at is null and t.status = 'pending' and t.cancelled_at is null
                order by coalesce(i.created_at, t.created_at), t.id limit ? for update of t skip locked""")
                .params(tenant.value(), Math.min(free, properties.admissionBatch()))
                .query((rs, n) -> new Waiting(rs.getObject("id", UUID.class), rs.getString("run_spec")))
                .list();
        for (Waiting task : tasks) {
            RunTask run = codec.mapper().readValue(task.runSpec(), RunTask.class);
            if (run.iteration() > 1) {
                followUps.startAdmittedFollowUp(tenant, task.id(), run);
            } else {
                outbox.append(Topics.TASK_COMMANDS, Envelope.of(task.id(), tenant.value(), run), Map.of());
            }
            jdbc.sql("update tasks set admitted_at = now() where id = ?")
                    .param(task.id())
                    .update();
        }
        if (!tasks.isEmpty()) {
            log.debug("Admitted {} tasks of tenant {} (limit {}).", tasks.size(), tenant, limit);
        }
        return tasks.size();
    }

    private record Waiting(UUID id, String runSpec) {}
}
