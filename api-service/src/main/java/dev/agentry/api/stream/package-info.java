@NullMarked
package dev.agentry.api.stream;

import org.jspecify.annotations.NullMarked;
