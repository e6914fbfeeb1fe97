/** Building blocks that several features share and that are neither HTTP ({@code web}) nor configuration. */
@NullMarked
package dev.agentry.api.support;

import org.jspecify.annotations.NullMarked;
