/**
 * Where the agent's processes run: the CLI, its tools, MCP servers and the {@code command} runtime each start in a
 * sandbox of their task run ({@link dev.agentry.worker.sandbox.Sandbox}), which sees the run's own directories, the
 * system read-only and an environment built from scratch, and nothing of other runs or of the worker.
 */
@NullMarked
package dev.agentry.worker.sandbox;

import org.jspecify.annotations.NullMarked;
