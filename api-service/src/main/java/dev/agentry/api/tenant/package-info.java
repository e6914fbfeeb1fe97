@NullMarked
package dev.agentry.api.tenant;

import org.jspecify.annotations.NullMarked;
