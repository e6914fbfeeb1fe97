@NullMarked
package dev.agentry.api.web;

import org.jspecify.annotations.NullMarked;
