@NullMarked
package dev.agentry.api;

import org.jspecify.annotations.NullMarked;
