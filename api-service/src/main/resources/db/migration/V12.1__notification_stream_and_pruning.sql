-- Seed 003, continued: live notifications (GET /api/notifications/stream) and bounded projector bookkeeping.

-- The order in which a user's notifications were written: each one's SSE event id, so a client that reconnects
-- with Last-Event-ID gets the ones it has not seen. Existing rows are numbered in the order of the table.
alter table notifications add column seq bigint generated always as identity;
create index notifications_stream on notifications (tenant_id, user_id, seq);

-- The API deletes projected event ids older than agentry.api.conversations.processed-events-retention.
create index conversation_processed_events_by_age on conversation_processed_events (processed_at);
