-- Endpoints that keep failing are given up, as Svix and others do: when every attempt to an endpoint has failed for
-- the scheduler's disable-after (5 days), it is recorded in webhook_gone_endpoints like an endpoint that answered
-- 410 Gone, with why. Deliveries of tasks created before that are then recorded dead without being sent; a task
-- created afterwards with the same callback_url tries it again.

-- An endpoint whose attempts have all failed since failing_since; a successful attempt deletes its row.
create table webhook_endpoint_failures (
    tenant_id       text        not null references tenants (id),
    url             text        not null,
    failing_since   timestamptz not null,
    primary key (tenant_id, url)
);

-- Why an endpoint was given up; null: it answered 410 Gone.
alter table webhook_gone_endpoints add column reason text;
