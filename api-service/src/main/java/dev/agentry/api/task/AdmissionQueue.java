package dev.agentry.api.task;

import dev.agentry.api.tenant.TenantId;
import java.util.List;
import java.util.UUID;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * The tasks waiting for admission: {@code pending}, not admitted, not cancelled. Oldest first by when the current
 * iteration was asked for: a task's iteration row is written with it, a follow-up's by the instruction (the task's
 * own {@code created_at} would put a follow-up ahead of tasks submitted while its first iteration ran).
 */
@Repository
class AdmissionQueue {

    private final JdbcClient jdbc;

    AdmissionQueue(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record Waiting(UUID id, String runSpec) {}

    /** One admission pass at a time across API instances; answers whether this transaction holds the lock. */
    boolean tryLockPass() {
        return jdbc.sql("select pg_try_advisory_xact_lock(hashtext('agentry.admission'))")
                .query(Boolean.class)
                .single();
    }

    /** Serializes the daily-quota checks of one tenant's concurrent submits until the transaction ends. */
    void lockTenantQuota(TenantId tenant) {
        jdbc.sql("select pg_advisory_xact_lock(hashtext(?))")
                .param("agentry.quota." + tenant.value())
                .query((rs, n) -> 1)
                .single();
    }

    void defer(UUID taskId) {
        jdbc.sql("update tasks set admitted_at = null where id = ?")
                .param(taskId)
                .update();
    }

    /** Tenants with waiting work, the one waiting longest first. */
    List<TenantId> waitingTenants() {
        return jdbc.sql("""
                select t.tenant_id from tasks t
                left join task_iterations i on i.task_id = t.id and i.number = t.iteration
                where t.admitted_at is null and t.status = 'pending' and t.cancelled_at is null
                group by t.tenant_id order by min(coalesce(i.created_at, t.created_at))""").query(String.class).list().stream()
                .map(TenantId::new)
                .toList();
    }

    /** The tenant's oldest waiting work, locked; a task being cancelled holds its row lock and is skipped. */
    List<Waiting> oldest(TenantId tenant, int limit) {
        return jdbc.sql("""
                select t.id, t.run_spec::text as run_spec from tasks t
                left join task_iterations i on i.task_id = t.id and i.number = t.iteration
                where t.tenant_id = ? and t.admitted_at is null and t.status = 'pending' and t.cancelled_at is null
                order by coalesce(i.created_at, t.created_at), t.id limit ? for update of t skip locked""")
                .params(tenant.value(), limit)
                .query((rs, n) -> new Waiting(rs.getObject("id", UUID.class), rs.getString("run_spec")))
                .list();
    }

    void markAdmitted(UUID taskId) {
        jdbc.sql("update tasks set admitted_at = now() where id = ?")
                .param(taskId)
                .update();
    }
}
