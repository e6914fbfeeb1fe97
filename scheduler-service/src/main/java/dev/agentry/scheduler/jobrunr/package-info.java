/** JobRunr on PostgreSQL: storage in its own schema, and a Jackson 3 mapper for job details. */
@NullMarked
package dev.agentry.scheduler.jobrunr;

import org.jspecify.annotations.NullMarked;
