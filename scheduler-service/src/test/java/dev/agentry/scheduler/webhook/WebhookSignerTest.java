package dev.agentry.scheduler.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentry.testkit.webhook.StandardWebhooksVerifier;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class WebhookSignerTest {

    private static final byte[] BODY = "{\"task_id\":\"t\",\"status\":\"completed\"}".getBytes(StandardCharsets.UTF_8);

    @Test
    void signaturesVerifyWithAnIndependentImplementationOfTheSpec() {
        String secret = SigningSecrets.generate();
        Instant now = Instant.now();
        String header = WebhookSigner.standardSignatures(List.of(secret), "msg_1", now.getEpochSecond(), BODY);

        assertThat(header).startsWith("v1,");
        assertThat(StandardWebhooksVerifier.verifyStandard(
                        secret, "msg_1", Long.toString(now.getEpochSecond()), header, BODY, now))
                .isTrue();
        assertThat(StandardWebhooksVerifier.verifySeed(secret, WebhookSigner.seedSignature(secret, BODY), BODY))
                .isTrue();
    }

    @Test
    void matchesTheStandardWebhooksSpecificationsExampleSignature() {
        // The example of the Standard Webhooks specification (and of the Svix libraries' tests).
        String secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        byte[] body = "{\"test\": 2432232314}".getBytes(StandardCharsets.UTF_8);

        assertThat(WebhookSigner.standardSignatures(List.of(secret), "msg_p5jXN8AQM9LWM0D4loKWxJek", 1614265330, body))
                .isEqualTo("v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    @Test
    void aTamperedBodyAWrongIdOrAnOldTimestampFails() {
        String secret = SigningSecrets.generate();
        Instant now = Instant.now();
        String timestamp = Long.toString(now.getEpochSecond());
        String header = WebhookSigner.standardSignatures(List.of(secret), "msg_1", now.getEpochSecond(), BODY);
        byte[] tampered = "{\"task_id\":\"t\",\"status\":\"failed\"}".getBytes(StandardCharsets.UTF_8);

        assertThat(StandardWebhooksVerifier.verifyStandard(secret, "msg_1", timestamp, header, tampered, now))
                .isFalse();
        assertThat(StandardWebhooksVerifier.verifyStandard(secret, "msg_2", timestamp, header, BODY, now))
                .isFalse();
        assertThat(StandardWebhooksVerifier.verifyStandard(
                        secret, "msg_1", timestamp, header, BODY, now.plus(Duration.ofMinutes(10))))
                .isFalse();
        assertThat(StandardWebhooksVerifier.verifySeed(secret, WebhookSigner.seedSignature(secret, BODY), tampered))
                .isFalse();
    }

    @Test
    void duringARotationEitherSecretVerifies() {
        String current = SigningSecrets.generate();
        String previous = SigningSecrets.generate();
        Instant now = Instant.now();
        String header =
                WebhookSigner.standardSignatures(List.of(current, previous), "msg_1", now.getEpochSecond(), BODY);
        String timestamp = Long.toString(now.getEpochSecond());

        assertThat(header.split(" ")).hasSize(2);
        assertThat(StandardWebhooksVerifier.verifyStandard(current, "msg_1", timestamp, header, BODY, now))
                .isTrue();
        assertThat(StandardWebhooksVerifier.verifyStandard(previous, "msg_1", timestamp, header, BODY, now))
                .isTrue();
        assertThat(StandardWebhooksVerifier.verifyStandard(
                        SigningSecrets.generate(), "msg_1", timestamp, header, BODY, now))
                .isFalse();
    }
}
