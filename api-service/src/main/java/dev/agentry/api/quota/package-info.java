@NullMarked
package dev.agentry.api.quota;

import org.jspecify.annotations.NullMarked;
