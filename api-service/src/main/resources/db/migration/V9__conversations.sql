-- Seed 003: conversations whose assistant schedules background work, their messages, the turns that run them
-- (chat, schedule firings, run-now) and the notifications they leave. Every row carries tenant_id and user_id:
-- conversations and notifications are per user (another user of the tenant gets 403, another tenant 404).

-- Who made an API token: a token acts as the user who created it. Null for tokens made before this column
-- existed and for the bootstrap token (which acts as the bootstrap admin).
alter table api_tokens add column created_by text;

create table conversations (
    id                  uuid primary key,
    tenant_id           text        not null references tenants (id),
    user_id             text        not null,
    title               text        not null,
    status              text        not null default 'active'
        check (status in ('active', 'background', 'waiting_input', 'archived')),
    -- The schedule, all null when there is none. The scheduler reads these columns (through its view) and fires
    -- each instant once per schedule_version; every change of the schedule (create, stop, archive, pause,
    -- resume, a one-time schedule that has fired) bumps schedule_version, so the scheduler drops its cursor for
    -- the old version and a firing that carries an old version is skipped by the API.
    schedule_type       text        check (schedule_type in ('cron', 'scheduled', 'immediate')),
    cron_expression     text,
    timezone            text,
    run_at              timestamptz,
    schedule_task       text,
    schedule_version    integer     not null default 0,
    -- A paused schedule keeps its columns but must not fire: the scheduler's view leaves paused rows out.
    paused_at           timestamptz,
    -- What the API shows as nextRunAt; the scheduler keeps its own cursor.
    next_run_at         timestamptz,
    state_context       jsonb       not null default '{}'::jsonb,
    state_step          text        not null default 'initial',
    state_data          jsonb       not null default '{}'::jsonb,
    -- {type, prompt, options} while status is waiting_input
    pending_question    jsonb,
    created_at          timestamptz not null,
    updated_at          timestamptz not null,
    check ((schedule_type is null) = (schedule_task is null))
);

create index conversations_by_owner on conversations (tenant_id, user_id, updated_at desc, id);
create index conversations_with_schedule on conversations (schedule_version) where schedule_type is not null;

create table conversation_messages (
    id                  uuid primary key,
    -- the order of a conversation's messages; created_at can tie
    seq                 bigint generated always as identity,
    conversation_id     uuid        not null references conversations (id) on delete cascade,
    tenant_id           text        not null,
    user_id             text        not null,
    turn_id             uuid,
    role                text        not null check (role in ('user', 'assistant', 'system')),
    content             text        not null,
    source              text        not null check (source in ('chat', 'worker')),
    created_at          timestamptz not null
);

create index conversation_messages_in_order on conversation_messages (conversation_id, seq);

-- One assistant run. A chat turn answers a user message; a schedule turn is one firing, and the unique
-- (conversation_id, fire_time) key makes a duplicate firing (two schedulers, a republish after a crash) a no-op;
-- a firing that may not run (a turn still queued or running, an old schedule_version, an archived or paused
-- conversation) is recorded as skipped with the reason.
create table conversation_turns (
    id                  uuid primary key,
    conversation_id     uuid        not null references conversations (id) on delete cascade,
    tenant_id           text        not null,
    user_id             text        not null,
    trigger             text        not null check (trigger in ('chat', 'schedule', 'run_now')),
    status              text        not null check (status in ('queued', 'running', 'completed', 'failed', 'skipped')),
    fire_time           timestamptz,
    schedule_version    integer,
    catch_up            boolean     not null default false,
    skip_reason         text,
    user_message_id     uuid,
    assistant_message_id uuid,
    -- the conversation's status when the turn began, and what the turn changed: the seed's answer to the message
    status_before       text        not null,
    conversation_updated boolean    not null default false,
    new_status          text,
    error               text,
    worker_id           text,
    created_at          timestamptz not null,
    started_at          timestamptz,
    finished_at         timestamptz,
    unique (conversation_id, fire_time)
);

create index conversation_turns_in_flight on conversation_turns (conversation_id)
    where status in ('queued', 'running');

-- Envelope ids of conversation events already projected: the projector is idempotent on them.
create table conversation_processed_events (
    event_id            uuid primary key,
    processed_at        timestamptz not null default now()
);

create table notifications (
    id                  uuid primary key,
    tenant_id           text        not null references tenants (id),
    user_id             text        not null,
    conversation_id     uuid        references conversations (id) on delete cascade,
    title               text        not null,
    body                text        not null,
    is_read             boolean     not null default false,
    created_at          timestamptz not null
);

create index notifications_by_owner on notifications (tenant_id, user_id, created_at desc, id);
create index notifications_unread on notifications (tenant_id, user_id) where not is_read;
