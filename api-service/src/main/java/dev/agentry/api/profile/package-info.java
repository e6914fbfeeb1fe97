/**
 * Mission profiles (seed 002): how a mission runs (runtime, model, system prompt, allowed tools, turns, timeout and
 * an optional repository), per tenant, with {@code dev} built in. {@link dev.agentry.api.profile.MissionProfiles} is
 * the feature's API; the {@code mission_profiles} table and the endpoints are internal.
 */
@NullMarked
package dev.agentry.api.profile;

import org.jspecify.annotations.NullMarked;
