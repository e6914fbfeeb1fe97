-- Webhook events chosen per task (webhook_events on POST /api/v1/tasks), instead of the tenant's subscription.
-- The API writes the column once, when it accepts the task; the scheduler reads it when it turns the task's events
-- into deliveries to its callback_url.

-- null: the tenant's subscription (webhook_settings, or its default) decides. Otherwise exactly these types, each a
-- name of WebhookEventTypes.ALL, without duplicates, in the order the client gave; empty means no webhooks at all.
-- Only set together with callback_url.
alter table tasks add column webhook_events text[];
