/**
 * A load generator for a running Agentry platform: fixed-rate submits for API latency, closed-loop echo tasks for
 * end-to-end throughput, and a memory probe. Plain Java: {@code java.net.http} and Jackson, no framework.
 */
@NullMarked
package dev.agentry.benchmark;

import org.jspecify.annotations.NullMarked;
