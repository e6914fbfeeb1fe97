package dev.agentry.api.stream;

import jakarta.validation.constraints.Min;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Live task streams, prefix {@code agentry.api.stream}.
 *
 * @param keepalive how often an idle stream gets a {@code : keepalive} comment
 * @param idleTimeout a stream with no event for this long gets {@code event: timeout} and closes
 * @param buffer events queued for one connection; a client further behind is closed and may resume
 */
@Validated
@ConfigurationProperties("agentry.api.stream")
public record StreamProperties(
        @DefaultValue("15s") Duration keepalive,
        @DefaultValue("10m") Duration idleTimeout,
        @DefaultValue("1024") @Min(16) int buffer) {}
