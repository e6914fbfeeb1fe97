/**
 * The control topic ({@code agentry.task.control}): every worker reads it all, in order, and acts on what concerns
 * it (cancel a task it runs or will be handed, run a follow-up iteration in a workspace it holds, open a pull
 * request through the pull-request feature, delete a workspace).
 */
@NullMarked
package dev.agentry.worker.control;

import org.jspecify.annotations.NullMarked;
