-- Seed 001's core: projects, their tickets with phase history, the agents that do a project's work, and the
-- columns that make a seed-004 task a ticket's task (one task concept, one pipeline).
-- Owners: projects, tickets, ticket_phase_history -> the project feature; project_agents -> the agent feature;
-- the task columns and task_dependencies -> the task feature.

create table projects (
    id                   text primary key,                 -- "project-<uuid>", as the peer names them
    tenant_id            text        not null references tenants (id),
    created_by           text,
    name                 text        not null check (length(name) between 1 and 255),
    description          text,
    github_owner         text,
    github_repo          text,
    github_connected     boolean     not null default false,
    -- beyond the seed: the git repository a ticket's tasks clone (defaults from github_owner/github_repo),
    -- its branch and the token to clone and push with, sealed like every other secret
    repository_url       text,
    default_branch       text,
    git_token_sealed     text,
    default_phase_id     text        not null default 'PHASE_BACKLOG',
    status               text        not null default 'active' check (status in ('active', 'archived', 'completed')),
    settings             jsonb       not null default '{}',
    created_at           timestamptz not null default now(),
    updated_at           timestamptz not null default now(),
    unique (tenant_id, name)
);

create index projects_by_tenant_newest on projects (tenant_id, created_at desc);

create table tickets (
    id                text primary key,                    -- a bare uuid, as the peer's
    tenant_id         text        not null references tenants (id),
    project_id        text        not null references projects (id) on delete cascade,
    user_id           text,
    title             text        not null check (length(title) between 1 and 500),
    description       text,
    phase_id          text        not null,
    status            text        not null default 'backlog'
        check (status in ('backlog', 'analyzing', 'building', 'building-done', 'testing', 'done')),
    priority          text        not null default 'MEDIUM' check (priority in ('CRITICAL', 'HIGH', 'MEDIUM', 'LOW')),
    previous_phase_id text,
    is_blocked        boolean     not null default false,
    blocked_reason    text,
    blocked_at        timestamptz,
    approval_status   text        not null default 'approved',
    context           jsonb       not null default '{}',
    created_at        timestamptz not null default now(),
    updated_at        timestamptz not null default now()
);

create index tickets_by_project_phase on tickets (tenant_id, project_id, phase_id);

create table ticket_phase_history (
    id              bigserial primary key,
    tenant_id       text        not null references tenants (id),
    ticket_id       text        not null references tickets (id) on delete cascade,
    from_phase      text,
    to_phase        text        not null,
    from_status     text,
    to_status       text,
    reason          text,
    transitioned_by text,
    created_at      timestamptz not null default now()
);

create index ticket_phase_history_by_ticket on ticket_phase_history (ticket_id, id);

-- Seed 001's agents: the identities that do a project's work. Status and heartbeats come from the workers' events.
create table project_agents (
    id                   text primary key,
    tenant_id            text        not null references tenants (id),
    project_id           text        not null references projects (id) on delete cascade,
    agent_name           text        not null,
    agent_type           text        not null check (agent_type in ('worker', 'monitor', 'watchdog', 'guardian')),
    phase_id             text,
    status               text        not null default 'SPAWNING'
        check (status in ('SPAWNING', 'IDLE', 'RUNNING', 'DEGRADED', 'FAILED', 'QUARANTINED', 'TERMINATED')),
    capabilities         text[]      not null default '{}',
    capacity             integer     not null default 1 check (capacity between 1 and 1000),
    last_heartbeat       timestamptz,
    current_task_id      uuid,
    created_at           timestamptz not null default now(),
    updated_at           timestamptz not null default now()
);

create index project_agents_by_project on project_agents (tenant_id, project_id);

-- A ticket's task is a seed-004 task with a ticket, a priority, a phase, a type and dependencies.
alter table tasks
    add column ticket_id         text references tickets (id) on delete cascade,
    add column project_id        text references projects (id) on delete cascade,
    add column priority          text check (priority in ('CRITICAL', 'HIGH', 'MEDIUM', 'LOW')),
    add column phase_id          text,
    add column task_type         text,
    add column assigned_agent_id text references project_agents (id) on delete set null;

create index tasks_by_ticket on tasks (ticket_id, created_at) where ticket_id is not null;
create index tasks_by_project on tasks (project_id) where project_id is not null;

create table task_dependencies (
    task_id       uuid not null references tasks (id) on delete cascade,
    depends_on_id uuid not null references tasks (id) on delete cascade,
    primary key (task_id, depends_on_id),
    check (task_id <> depends_on_id)
);

create index task_dependencies_by_dependency on task_dependencies (depends_on_id);
