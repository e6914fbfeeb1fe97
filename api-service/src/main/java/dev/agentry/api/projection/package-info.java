@NullMarked
package dev.agentry.api.projection;

import org.jspecify.annotations.NullMarked;
