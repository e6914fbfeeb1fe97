/**
 * Model clients behind one small interface, {@link dev.agentry.worker.llm.ChatModel}: the Anthropic Messages API
 * and OpenAI-compatible chat completions, both streaming with tool use through their vendors' official SDKs, with
 * transient failures (429, 529, 5xx, I/O) retried with backoff. Knows nothing of conversations or Kafka.
 */
@NullMarked
package dev.agentry.worker.llm;

import org.jspecify.annotations.NullMarked;
