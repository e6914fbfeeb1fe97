package dev.agentry.testkit.webhook;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies webhooks the way a receiver would, written from the Standard Webhooks specification
 * (https://www.standardwebhooks.com) and seed 004's Python snippet, not from Agentry's signer:
 *
 * <ul>
 *   <li>{@code webhook-signature} is a space-separated list of {@code v1,<base64>} entries; one must equal
 *       base64(HMAC-SHA256(key, "{webhook-id}.{webhook-timestamp}.{body}")) where key is base64-decode(secret minus
 *       {@code whsec_}); and the timestamp must be within the tolerance of now (replay protection).
 *   <li>{@code X-Signature-256} equals {@code "sha256=" + hex(HMAC-SHA256(utf8(secret), body))}.
 * </ul>
 */
public final class StandardWebhooksVerifier {

    public static final Duration DEFAULT_TOLERANCE = Duration.ofMinutes(5);

    private StandardWebhooksVerifier() {}

    public static boolean verifyStandard(
            String secret, String id, String timestamp, String signatureHeader, byte[] body, Instant now) {
        long seconds;
        try {
            seconds = Long.parseLong(timestamp);
        } catch (NumberFormatException e) {
            return false;
        }
        if (Math.abs(now.getEpochSecond() - seconds) > DEFAULT_TOLERANCE.toSeconds()) {
            return false;
        }
        byte[] key = Base64.getDecoder().decode(secret.substring("whsec_".length()));
        byte[] content = concat((id + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8), body);
        byte[] expected = hmacSha256(key, content);
        for (String entry : signatureHeader.split(" ")) {
            int comma = entry.indexOf(',');
            if (comma < 0 || !entry.substring(0, comma).equals("v1")) {
                continue;
            }
            byte[] given;
            try {
                given = Base64.getDecoder().decode(entry.substring(comma + 1));
            } catch (IllegalArgumentException e) {
                continue;
            }
            if (MessageDigest.isEqual(expected, given)) {
                return true;
            }
        }
        return false;
    }

    public static boolean verifySeed(String secret, String signatureHeader, byte[] body) {
        String expected =
                "sha256=" + HexFormat.of().formatHex(hmacSha256(secret.getBytes(StandardCharsets.UTF_8), body));
        return MessageDigest.isEqual(
                expected.getBytes(StandardCharsets.UTF_8), signatureHeader.getBytes(StandardCharsets.UTF_8));
    }

    /** Verifies a request the receiver recorded, with both schemes. */
    public static boolean verify(String secret, WebhookReceiver.Received request, Instant now) {
        String id = request.header("webhook-id");
        String timestamp = request.header("webhook-timestamp");
        String signature = request.header("webhook-signature");
        String seed = request.header("x-signature-256");
        return id != null
                && timestamp != null
                && signature != null
                && seed != null
                && verifyStandard(secret, id, timestamp, signature, request.body(), now)
                && verifySeed(secret, seed, request.body());
    }

    private static byte[] hmacSha256(byte[] key, byte[] content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(content);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
