@NullMarked
package dev.agentry.api.workspace;

import org.jspecify.annotations.NullMarked;
