/**
 * Webhooks as tenants see them: every delivery with its attempts, redelivery on request, the tenant's signing secret
 * (shown once, rotatable, sealed at rest) and which task events the tenant receives. The scheduler does the sending;
 * this package only reads what it recorded and writes requests (a redelivery flag, a new secret) that it picks up.
 */
@NullMarked
package dev.agentry.api.webhook;

import org.jspecify.annotations.NullMarked;
