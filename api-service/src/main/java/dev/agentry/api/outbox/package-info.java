@NullMarked
package dev.agentry.api.outbox;

import org.jspecify.annotations.NullMarked;
