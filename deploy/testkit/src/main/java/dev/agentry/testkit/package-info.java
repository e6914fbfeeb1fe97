/** Real infrastructure for tests: PostgreSQL, a KRaft Kafka broker, and stand-ins for external services. */
@NullMarked
package dev.agentry.testkit;

import org.jspecify.annotations.NullMarked;
