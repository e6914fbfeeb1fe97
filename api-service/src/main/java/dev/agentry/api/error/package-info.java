/**
 * The failures a request can end in, as domain exceptions that know nothing of HTTP: not found, conflict, invalid
 * (with the offending fields), unprocessable, unavailable, quota exceeded, unauthorized, upstream failed. Every
 * feature throws these; the one advice in {@code web} maps each kind to a status and each API family's body.
 */
@NullMarked
package dev.agentry.api.error;

import org.jspecify.annotations.NullMarked;
