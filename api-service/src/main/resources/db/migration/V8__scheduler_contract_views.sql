-- The scheduler's contract with this schema: what scheduler-service reads of the API's tables, as views with a fixed
-- column set, so the API may reshape its tables as long as these views keep their columns (PostgreSQL refuses to
-- drop or retype a column a view uses, so a migration that would break the scheduler fails here, not at run time).
-- scheduler-service tests run every migration of this directory and check these column sets
-- (SchedulerContractTest). The tables the scheduler writes are listed in scheduler-service/README.md.

-- One row per task, with the facts the stuck-task reaper and webhook delivery need about its current iteration.
create view scheduler_tasks as
select t.id,
       t.tenant_id,
       t.status,
       t.iteration,
       t.worker_id,
       t.timeout_seconds,
       -- the task's first start, and its current iteration's (a follow-up gets its own timeout)
       t.started_at,
       coalesce(i.started_at, t.started_at) as iteration_started_at,
       t.last_heartbeat_at,
       t.updated_at,
       -- null while the current iteration waits for admission under its tenant's running-tasks limit
       t.admitted_at,
       t.created_at,
       t.callback_url,
       t.trace_id,
       t.result,
       t.usage,
       t.changes_summary,
       -- the task's own choice of webhook event types; null follows its tenant's subscription
       t.webhook_events
  from tasks t
  left join task_iterations i on i.task_id = t.id and i.number = t.iteration;

-- The webhook event types each tenant chose (PUT /api/v1/webhooks/settings); a tenant that never chose has no row.
create view scheduler_webhook_subscriptions as
select tenant_id, event_types
  from webhook_settings;
