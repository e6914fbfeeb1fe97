-- Cancel, follow-up iterations and workspaces.

alter table tasks add column cancelled_at timestamptz;
-- The task.run command of the latest iteration, secrets sealed: what a follow-up iteration is built from.
alter table tasks add column run_spec jsonb;

-- Workspaces as workers report them; the worker is the truth, this is what the API can show and route by.
create table workspaces (
    task_id         uuid primary key references tasks (id) on delete cascade,
    tenant_id       text        not null,
    worker_id       text        not null,
    size_bytes      bigint      not null,
    created_at      timestamptz not null,
    last_used_at    timestamptz not null,
    deleting        boolean     not null default false,
    updated_at      timestamptz not null default now()
);

create index workspaces_by_tenant on workspaces (tenant_id, created_at desc);
