-- Seed 003's webhook events (conversation.message.created, conversation.waiting_input) through the signed webhook
-- pipeline. A conversation has no callback_url: its events go to the tenant's own endpoint, set with its choice of
-- event types (PUT /api/v1/webhooks/settings {"event_types": [...], "url": "..."}).
alter table webhook_settings add column url text;

-- A delivery is about a task or about a conversation, never both.
alter table webhook_deliveries alter column task_id drop not null;
alter table webhook_deliveries add column conversation_id uuid;
alter table webhook_deliveries add constraint webhook_deliveries_one_subject
    check ((task_id is null) <> (conversation_id is null));

-- The scheduler's contract view (V8) gains the endpoint; columns may only be added at the end.
create or replace view scheduler_webhook_subscriptions as
select tenant_id, event_types, url
  from webhook_settings;
