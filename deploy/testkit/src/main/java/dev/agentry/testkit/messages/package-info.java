/**
 * Scripted stand-ins for the Anthropic Messages API and OpenAI-compatible chat completions, for running real agent CLIs (Claude Code) and our own HTTP
 * runtimes against a local server whose answers each test writes in advance.
 */
@NullMarked
package dev.agentry.testkit.messages;

import org.jspecify.annotations.NullMarked;
