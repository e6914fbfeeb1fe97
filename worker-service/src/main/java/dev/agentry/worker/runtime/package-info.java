/** Agent runtimes behind one interface ({@link dev.agentry.worker.runtime.AgentRuntime}) and the registry that finds them by name. */
@NullMarked
package dev.agentry.worker.runtime;

import org.jspecify.annotations.NullMarked;
