@NullMarked
package dev.agentry.api.config;

import org.jspecify.annotations.NullMarked;
