-- Records a shared stage could not handle, set aside so that the stage moves on (issue 19): an outbox row Kafka
-- refused for good (over max.request.size, an invalid topic), or a task event the projector could not decode or
-- store. One row per record set aside; an operator lists them and replays one once its cause is fixed, which puts
-- the bytes back in the outbox for the relay (replayed_at records when).
create table dead_letters (
    id           bigserial   primary key,
    stage        text        not null,
    -- the tenant the record belonged to, when it could be read from the envelope
    tenant_id    text,
    topic        text        not null,
    msg_key      text,
    payload      bytea       not null,
    headers      jsonb       not null default '{}'::jsonb,
    reason       text        not null,
    attempts     integer     not null,
    -- where the record came from: the outbox row id, or topic-partition@offset
    origin       text        not null,
    created_at   timestamptz not null default now(),
    replayed_at  timestamptz
);

create index dead_letters_newest on dead_letters (id desc);

-- A batch redelivered after a crash sets the same record aside again: it keeps its one letter.
create unique index dead_letters_origin on dead_letters (stage, origin);

-- One terminal webhook per (task, iteration, outcome): a cancel racing the worker's failure, the reaper racing a
-- late completion, or a redelivered event must never make two terminal deliveries of one iteration (two different
-- webhook-ids, or a completed after a failed). The scheduler sets terminal_key on the deliveries of terminal events
-- ("<iteration>:outcome" for task.completed / task.failed, "<iteration>:iteration" for task.iteration.completed);
-- the first terminal event of an iteration in the task's partition wins, as it does in the projector.
alter table webhook_deliveries add column terminal_key text;
create unique index webhook_deliveries_one_terminal on webhook_deliveries (task_id, terminal_key)
    where terminal_key is not null;
