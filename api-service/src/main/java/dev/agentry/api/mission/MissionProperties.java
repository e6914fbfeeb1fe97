package dev.agentry.api.mission;

import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Mission settings, prefix {@code agentry.missions}.
 *
 * @param executeWait how long {@code POST /api/v1/execute} waits for the mission to end before it answers
 *     {@code in_progress} (the mission goes on)
 */
@Validated
@ConfigurationProperties("agentry.missions")
record MissionProperties(@DefaultValue("120s") Duration executeWait) {}
