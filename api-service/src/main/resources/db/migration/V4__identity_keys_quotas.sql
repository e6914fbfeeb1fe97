-- Identity (users, roles, API tokens with roles and expiry, revoked JWTs), the keys vault, global MCP servers
-- and per-tenant quotas.

-- A null quota means the deployment's default (agentry.api.quotas.*).
alter table tenants add column max_running_tasks      integer;
alter table tenants add column max_tasks_per_day      integer;
alter table tenants add column max_spend_per_day_usd  numeric(12, 4);
alter table tenants add column requests_per_second    integer;

-- Emails are unique across tenants: login takes only an email and a password.
create table users (
    id              uuid primary key,
    tenant_id       text        not null references tenants (id),
    email           text        not null unique,
    name            text        not null,
    password_hash   text        not null,
    role            text        not null check (role in ('admin', 'member', 'viewer')),
    created_at      timestamptz not null default now(),
    disabled_at     timestamptz
);

create index users_by_tenant on users (tenant_id, created_at);

-- Tokens made before roles existed could do everything: they stay admin.
alter table api_tokens add column role       text    not null default 'admin'
    check (role in ('admin', 'member', 'viewer'));
alter table api_tokens add column operator   boolean not null default false;
alter table api_tokens add column expires_at timestamptz;

create index api_tokens_by_tenant on api_tokens (tenant_id, created_at);

-- Logged-out JWTs until they would have expired anyway.
create table revoked_jwts (
    jti         text primary key,
    expires_at  timestamptz not null
);

-- The keys vault: provider tokens sealed with the SecretSealer key ring (AES-GCM), never stored in plaintext.
create table provider_keys (
    tenant_id       text        not null references tenants (id),
    name            text        not null,
    provider        text        not null,
    scope           text,
    token_sealed    text        not null,
    created_at      timestamptz not null default now(),
    primary key (tenant_id, name)
);

-- Global MCP servers of a tenant, merged into every task's run; env values sealed as NAME=value entries.
create table mcp_servers (
    tenant_id       text        not null references tenants (id),
    name            text        not null,
    package         text,
    command         text        not null,
    args            jsonb       not null default '[]'::jsonb,
    env_names       jsonb       not null default '[]'::jsonb,
    env_sealed      jsonb       not null default '[]'::jsonb,
    created_at      timestamptz not null default now(),
    primary key (tenant_id, name)
);

-- The daily spend quota sums a tenant's iterations finished since midnight UTC.
create index task_iterations_by_tenant_finished on task_iterations (tenant_id, finished_at);

-- Admission control: a task's task.run reaches the workers' queue only once it is admitted, which a tenant with
-- a max_running_tasks limit gets only while it has fewer admitted, unfinished tasks. Tasks made before admission
-- existed count as admitted.
alter table tasks add column admitted_at timestamptz default now();
create index tasks_awaiting_admission on tasks (tenant_id, created_at) where admitted_at is null;
create index tasks_admitted_unfinished on tasks (tenant_id)
    where admitted_at is not null and status in ('pending', 'cloning', 'running', 'creating_pr');
