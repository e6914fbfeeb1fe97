-- Seed 003: what the scheduler reads of the conversations' schedules, and the scheduler's own firing cursors.

-- The scheduler's contract with the API's tables: the schedules that may fire now, one row per conversation. A
-- conversation leaves the view when its schedule is cleared (stop_schedule, archive, a one-time schedule that
-- has run), paused, or while it is not in the background (waiting for the user's input, or set active); the
-- scheduler then drops its cursor, and computes a fresh one from next_run_at when the row comes back. Every
-- change of the schedule itself bumps schedule_version (V9), which is how the scheduler notices it.
create view scheduler_conversation_schedules as
select id                  as conversation_id,
       tenant_id,
       status,
       schedule_type,
       cron_expression,
       coalesce(timezone, 'UTC') as timezone,
       run_at,
       -- the nextRunAt the API showed when it set the schedule: the scheduler's first firing, so the user is
       -- never told one time and fired at another
       next_run_at,
       schedule_version
from conversations
where schedule_type is not null
  and paused_at is null
  and status = 'background';

-- Owned and written by the scheduler only: per conversation, the next instant to fire for one schedule_version.
-- The due loop claims rows with FOR UPDATE SKIP LOCKED, publishes schedule.fired and advances next_fire_at
-- with a compare-and-set on its old value, so two schedulers never publish one firing twice in normal
-- operation; after a crash between publish and commit the firing is published again with the same envelope id
-- and the API's unique (conversation_id, fire_time) key makes it harmless.
create table schedule_cursors (
    conversation_id     uuid        primary key references conversations (id) on delete cascade,
    tenant_id           text        not null,
    schedule_version    integer     not null,
    -- null when this version has nothing more to fire: a one-time schedule that fired, or a schedule that
    -- cannot be evaluated (then error says why)
    next_fire_at        timestamptz,
    last_fired_at       timestamptz,
    last_published_at   timestamptz,
    firings             bigint      not null default 0,
    error               text,
    created_at          timestamptz not null,
    updated_at          timestamptz not null
);

create index schedule_cursors_due on schedule_cursors (next_fire_at) where next_fire_at is not null;
