package dev.agentry.scheduler.webhook;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

/** Says at start-up why webhooks are not delivered, when they are not. */
@Configuration(proxyBeanMethods = false)
@ConditionalOnExpression("!(" + WebhookConfiguration.ON + ")")
class WebhooksOffNotice {

    private static final Logger log = LoggerFactory.getLogger(WebhooksOffNotice.class);

    private final boolean enabled;

    WebhooksOffNotice(@Value("${agentry.scheduler.webhooks.enabled:true}") boolean enabled) {
        this.enabled = enabled;
    }

    @EventListener(ApplicationReadyEvent.class)
    void explain() {
        if (enabled) {
            log.warn("Webhook delivery is off: set agentry.secrets.sealing-keys (the API's key ring) to turn it on.");
        } else {
            log.info("Webhook delivery is off (agentry.scheduler.webhooks.enabled=false).");
        }
    }
}
