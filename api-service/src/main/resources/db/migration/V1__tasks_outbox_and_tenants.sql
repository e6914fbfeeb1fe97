-- The read model of the API service. Every row carries tenant_id; every query is scoped by it.

create table tenants (
    id          text primary key,
    name        text        not null,
    created_at  timestamptz not null default now()
);

-- Bearer tokens are stored as SHA-256 hashes only; the plaintext is shown once, at creation.
create table api_tokens (
    id          uuid primary key,
    tenant_id   text        not null references tenants (id),
    name        text        not null,
    token_hash  text        not null unique,
    created_at  timestamptz not null default now(),
    revoked_at  timestamptz
);

create table tasks (
    id                  uuid primary key,
    tenant_id           text        not null references tenants (id),
    status              text        not null,
    repo_url            text        not null,
    prompt              text        not null,
    current_prompt      text        not null,
    callback_url        text,
    provider_key        text,
    -- config as the client sent it, minus secrets (ai_api_key lives sealed below)
    config              jsonb       not null,
    runtime             text        not null,
    timeout_seconds     integer     not null,
    access_token_sealed text,
    ai_api_key_sealed   text,
    iteration           integer     not null default 1,
    attempt             integer     not null default 0,
    worker_id           text,
    session_id          text,
    result              text,
    error               text,
    failure_reason      text,
    usage               jsonb,
    changes_summary     jsonb,
    trace_id            text,
    last_seq            bigint      not null default 0,
    created_at          timestamptz not null,
    updated_at          timestamptz not null,
    started_at          timestamptz,
    finished_at         timestamptz,
    last_heartbeat_at   timestamptz
);

-- GET /api/v1/tasks: newest first, keyset-paginated on (created_at, id).
create index tasks_by_tenant_newest on tasks (tenant_id, created_at desc, id desc);
create index tasks_by_tenant_status_newest on tasks (tenant_id, status, created_at desc, id desc);
-- The reaper looks only at tasks a worker holds.
create index tasks_active on tasks (status, last_heartbeat_at) where status in ('cloning', 'running');

create table task_iterations (
    task_id         uuid        not null references tasks (id) on delete cascade,
    number          integer     not null,
    tenant_id       text        not null,
    prompt          text        not null,
    status          text        not null,
    result          text,
    error           text,
    usage           jsonb,
    changes         jsonb,
    created_at      timestamptz not null,
    started_at      timestamptz,
    finished_at     timestamptz,
    primary key (task_id, number)
);

-- The ordered per-task event log that SSE replays. event_id makes projection idempotent.
create table task_events (
    task_id     uuid        not null references tasks (id) on delete cascade,
    seq         bigint      not null,
    tenant_id   text        not null,
    event_id    uuid        not null unique,
    iteration   integer     not null,
    type        text        not null,
    event       text        not null,
    data        jsonb       not null,
    ts          timestamptz not null,
    primary key (task_id, seq)
);

-- Idempotency-Key: the same key and body within the window returns the original task.
create table idempotency_keys (
    tenant_id       text        not null references tenants (id),
    key             text        not null,
    request_hash    text        not null,
    task_id         uuid        not null references tasks (id) on delete cascade,
    created_at      timestamptz not null,
    primary key (tenant_id, key)
);

-- The transactional outbox: written in the same transaction as the task, published by the relay.
create table outbox (
    id          bigserial primary key,
    topic       text        not null,
    msg_key     text        not null,
    payload     bytea       not null,
    headers     jsonb       not null default '{}'::jsonb,
    created_at  timestamptz not null default now(),
    attempts    integer     not null default 0,
    last_error  text
);
