package dev.agentry.api.webhook;

import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Webhook settings of the API, under {@code agentry.webhooks}.
 *
 * @param rotationWindow after a rotation the previous secret keeps signing (next to the new one) this long, so
 *     receivers can switch without dropping a delivery
 */
@Validated
@ConfigurationProperties("agentry.webhooks")
public record WebhookSettingsProperties(
        @DefaultValue("24h") @DurationMin(seconds = 0) Duration rotationWindow) {}
