/**
 * Webhook test fixtures: a local receiver with scripted answers that records what it got, and a Standard Webhooks
 * verifier written from the specification (independent of the production signer).
 */
@NullMarked
package dev.agentry.testkit.webhook;

import org.jspecify.annotations.NullMarked;
