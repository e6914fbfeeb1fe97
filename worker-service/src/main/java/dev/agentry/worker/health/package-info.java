/** Readiness that really checks the parts a worker needs. */
@NullMarked
package dev.agentry.worker.health;

import org.jspecify.annotations.NullMarked;
