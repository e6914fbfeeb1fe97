/**
 * Seed 001's projects and tickets: the only owner of {@code projects}, {@code tickets} and {@code
 * ticket_phase_history}. Other features read a ticket's project through {@link
 * dev.agentry.api.project.TicketDirectory}; a project's agents and spend come from {@link
 * dev.agentry.api.project.ProjectActivity}, which the features that own those rows implement.
 */
@NullMarked
package dev.agentry.api.project;

import org.jspecify.annotations.NullMarked;
