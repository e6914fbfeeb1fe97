-- Webhooks: signed, retried, durable deliveries of task events to a task's callback_url.
-- The API writes secrets, settings and redelivery requests; the scheduler creates deliveries, makes the attempts
-- and records them. Every row carries tenant_id; the API scopes every query by it.

-- One signing secret per tenant ("whsec_" + base64 of 32 random bytes), sealed with the platform's SecretSealer.
-- After a rotation the previous secret keeps signing too (both signatures are sent) until previous_expires_at.
create table webhook_secrets (
    tenant_id               text        primary key references tenants (id),
    secret_sealed           text        not null,
    created_at              timestamptz not null,
    previous_secret_sealed  text,
    previous_expires_at     timestamptz
);

-- Which task events a tenant receives; without a row: task.completed and task.failed.
create table webhook_settings (
    tenant_id   text        primary key references tenants (id),
    event_types text[]      not null,
    updated_at  timestamptz not null
);

-- One message to one URL. id is the Standard Webhooks webhook-id, the same on every attempt; body is the exact
-- bytes sent (and signed) on every attempt. event_id (the Kafka envelope id) makes creation idempotent.
create table webhook_deliveries (
    id                      uuid        primary key,
    tenant_id               text        not null references tenants (id),
    task_id                 uuid        not null,
    event_id                uuid        not null,
    event_type              text        not null,
    url                     text        not null,
    body                    bytea       not null,
    trace_id                text,
    -- pending (waiting for next_attempt_at), sending (an attempt holds it until lease_until), succeeded, dead
    status                  text        not null,
    attempts                integer     not null default 0,
    next_attempt_at         timestamptz,
    lease_until             timestamptz,
    -- a redelivery is one manual attempt: no automatic retries after it
    manual                  boolean     not null default false,
    redeliver_requested_at  timestamptz,
    last_status_code        integer,
    last_error              text,
    created_at              timestamptz not null,
    updated_at              timestamptz not null,
    unique (event_id, event_type)
);

create index webhook_deliveries_by_tenant on webhook_deliveries (tenant_id, created_at desc, id desc);
create index webhook_deliveries_by_task on webhook_deliveries (tenant_id, task_id, created_at desc);
-- The sweeper: due or abandoned work, and redelivery requests.
create index webhook_deliveries_due on webhook_deliveries (next_attempt_at) where status in ('pending', 'sending');
create index webhook_deliveries_redeliver on webhook_deliveries (redeliver_requested_at)
    where redeliver_requested_at is not null;

create table webhook_attempts (
    delivery_id     uuid        not null references webhook_deliveries (id) on delete cascade,
    number          integer     not null,
    tenant_id       text        not null,
    attempted_at    timestamptz not null,
    latency_ms      bigint      not null,
    status_code     integer,
    -- the first bytes of the receiver's answer (capped), for people debugging their endpoint
    response_body   text,
    error           text,
    manual          boolean     not null default false,
    primary key (delivery_id, number)
);

-- Endpoints that answered 410 Gone: no more deliveries to them until the tenant uses them again after this.
create table webhook_gone_endpoints (
    tenant_id   text        not null references tenants (id),
    url         text        not null,
    gone_at     timestamptz not null,
    primary key (tenant_id, url)
);
