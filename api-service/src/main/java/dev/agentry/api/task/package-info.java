@NullMarked
package dev.agentry.api.task;

import org.jspecify.annotations.NullMarked;
