@NullMarked
package dev.agentry.api.key;

import org.jspecify.annotations.NullMarked;
