/**
 * Webhook delivery: task events become signed HTTP POSTs to the task's {@code callback_url}, retried on the Standard
 * Webhooks schedule, stored in PostgreSQL ({@code webhook_deliveries}, {@code webhook_attempts}) so that a restart
 * loses none and repeats none except as a retry with the same {@code webhook-id}. Every attempt re-checks the target
 * address against the SSRF policy and dials exactly the address it checked.
 */
@NullMarked
package dev.agentry.scheduler.webhook;

import org.jspecify.annotations.NullMarked;
