/**
 * The operator's view of what the shared stages set aside ({@code support.DeadLetters}): list it, and replay a
 * record once its cause is fixed. Replay goes through the outbox, like every message the API sends.
 */
@NullMarked
package dev.agentry.api.deadletter;

import org.jspecify.annotations.NullMarked;
