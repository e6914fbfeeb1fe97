@NullMarked
package dev.agentry.api.mcp;

import org.jspecify.annotations.NullMarked;
