/**
 * The whole platform in one process: an embedded KRaft Kafka broker, an embedded PostgreSQL and the api, worker and
 * scheduler services, wired with the same settings they would get in production.
 */
@NullMarked
package dev.agentry.local;

import org.jspecify.annotations.NullMarked;
