/**
 * Seed 001's agents: the identities that do a project's work, and the only owner of {@code project_agents}.
 */
@NullMarked
package dev.agentry.api.agent;

import org.jspecify.annotations.NullMarked;
