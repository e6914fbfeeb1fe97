package dev.agentry.scheduler.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The two signatures a delivery carries, and the headers of an attempt.
 *
 * <ul>
 *   <li>Standard Webhooks: {@code webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">}, keyed with the
 *       base64-decoded part of the {@code whsec_} secret; one {@code v1,} entry per active secret, space-separated,
 *       so receivers keep verifying through a rotation.
 *   <li>Seed 004: {@code X-Signature-256: sha256=<hex HMAC-SHA256 of the body>}, keyed with the secret string's UTF-8
 *       bytes exactly as the seed's Python check does ({@code hmac.new(secret.encode(), body, sha256)}).
 * </ul>
 */
final class WebhookSigner {

    static final String PREFIX = "whsec_";

    private WebhookSigner() {}

    static String standardSignatures(List<String> secrets, String webhookId, long timestamp, byte[] body) {
        byte[] prefix = (webhookId + "." + timestamp + ".").getBytes(StandardCharsets.UTF_8);
        return secrets.stream()
                .map(secret -> "v1," + Base64.getEncoder().encodeToString(hmac(key(secret), prefix, body)))
                .collect(Collectors.joining(" "));
    }

    static String seedSignature(String secret, byte[] body) {
        return "sha256=" + HexFormat.of().formatHex(hmac(secret.getBytes(StandardCharsets.UTF_8), new byte[0], body));
    }

    /** Every header of an attempt signed at {@code timestamp} (Unix seconds) with {@code secrets}, current first. */
    static Map<String, String> headers(Deliveries.Claimed claimed, List<String> secrets, long timestamp) {
        String webhookId = claimed.id().toString();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("webhook-id", webhookId);
        headers.put("webhook-timestamp", Long.toString(timestamp));
        headers.put("webhook-signature", standardSignatures(secrets, webhookId, timestamp, claimed.body()));
        headers.put("X-Signature-256", seedSignature(secrets.getFirst(), claimed.body()));
        headers.put("X-Agentry-Event", claimed.eventType());
        headers.put("X-Agentry-Attempt", Integer.toString(claimed.attempt()));
        if (claimed.traceId() != null) {
            headers.put("X-Trace-ID", claimed.traceId());
        }
        return headers;
    }

    private static byte[] key(String secret) {
        String encoded = secret.startsWith(PREFIX) ? secret.substring(PREFIX.length()) : secret;
        return Base64.getDecoder().decode(encoded);
    }

    private static byte[] hmac(byte[] key, byte[] prefix, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            mac.update(prefix);
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HMAC-SHA256 is not available", e);
        }
    }
}
