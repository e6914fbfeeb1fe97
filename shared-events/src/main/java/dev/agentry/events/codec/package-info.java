@NullMarked
package dev.agentry.events.codec;

import org.jspecify.annotations.NullMarked;
