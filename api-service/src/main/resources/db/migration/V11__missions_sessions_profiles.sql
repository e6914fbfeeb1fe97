-- Seed 002: missions run on the task pipeline. A session's missions are the iterations of one task of kind
-- 'mission' (an empty scratch workspace when its profile names no repository, hence the nullable repo_url);
-- seed 004's task list shows kind 'task' only. Sessions are per user like conversations (another user of the
-- tenant gets 403, another tenant 404); profiles are per tenant.

alter table tasks alter column repo_url drop not null;
alter table tasks add column kind text not null default 'task' check (kind in ('task', 'mission'));
alter table tasks add constraint tasks_repo_url_of_tasks check (kind = 'mission' or repo_url is not null);

create table mission_profiles (
    tenant_id       text        not null references tenants (id),
    name            text        not null,
    description     text,
    runtime         text        not null,
    model           text,
    system_prompt   text,
    allowed_tools   text[]      not null default '{}',
    max_turns       integer     check (max_turns > 0),
    timeout_seconds integer     not null check (timeout_seconds > 0),
    repository_url  text,
    created_at      timestamptz not null,
    updated_at      timestamptz not null,
    primary key (tenant_id, name)
);

create table mission_sessions (
    id          uuid primary key,
    tenant_id   text        not null references tenants (id),
    user_id     text        not null,
    profile     text        not null,
    mission     text        not null,
    -- created (no mission run yet), in_progress, completed, failed or paused (the agent asked the user).
    status      text        not null check (status in ('created', 'in_progress', 'completed', 'failed', 'paused')),
    -- The last mission's answer: its final message, its question when paused, its error when failed.
    message     text,
    task_id     uuid        unique references tasks (id) on delete set null,
    -- The iteration of task_id the latest mission is; the projector only applies that iteration's end.
    iteration   integer     not null default 0,
    created_at  timestamptz not null,
    updated_at  timestamptz not null
);

create index mission_sessions_by_owner on mission_sessions (tenant_id, user_id, created_at desc, id desc);
