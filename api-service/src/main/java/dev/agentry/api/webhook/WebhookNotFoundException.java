package dev.agentry.api.webhook;

/** No such delivery or secret for this tenant (another tenant's is not found either). */
class WebhookNotFoundException extends RuntimeException {

    WebhookNotFoundException(String message) {
        super(message);
    }
}
