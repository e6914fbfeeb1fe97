@NullMarked
package dev.agentry.api.system;

import org.jspecify.annotations.NullMarked;
