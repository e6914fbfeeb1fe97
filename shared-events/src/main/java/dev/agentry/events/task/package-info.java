@NullMarked
package dev.agentry.events.task;

import org.jspecify.annotations.NullMarked;
