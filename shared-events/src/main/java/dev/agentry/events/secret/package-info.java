@NullMarked
package dev.agentry.events.secret;

import org.jspecify.annotations.NullMarked;
