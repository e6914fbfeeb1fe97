/** How the worker is configured: the {@code agentry.worker.*} and {@code agentry.secrets.*} properties and the beans built from them. */
@NullMarked
package dev.agentry.worker.config;

import org.jspecify.annotations.NullMarked;
