/** Workspaces over time: periodic reports of every workspace on disk, expiry of unused ones, disk gauges. */
@NullMarked
package dev.agentry.worker.housekeeping;

import org.jspecify.annotations.NullMarked;
