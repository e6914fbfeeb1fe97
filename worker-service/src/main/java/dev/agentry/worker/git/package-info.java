/**
 * Every git process a worker starts, hardened one way: hooks, {@code core.fsmonitor}, credential helpers and the
 * command-running transports off, and a token (for clone and push only) handed over through the environment to a
 * {@code GIT_ASKPASS} script, never in argv, a config file or a log line ({@link Redactor} scrubs what git prints).
 */
@NullMarked
package dev.agentry.worker.git;

import org.jspecify.annotations.NullMarked;
