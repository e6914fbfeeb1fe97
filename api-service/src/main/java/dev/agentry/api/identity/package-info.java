@NullMarked
package dev.agentry.api.identity;

import org.jspecify.annotations.NullMarked;
