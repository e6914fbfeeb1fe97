/** Task workspaces: cloning repositories with tokens kept out of argv and logs, and summarising what changed. */
@NullMarked
package dev.agentry.worker.workspace;

import org.jspecify.annotations.NullMarked;
