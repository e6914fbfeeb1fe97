package dev.agentry.api.identity;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.OctetSequenceKey;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The HS256 keys of the platform's JWTs: the first signs, every one verifies, each named by its {@code kid}.
 * Parsed from {@code kid:base64,kid:base64}, the same shape as the secret sealer's key ring.
 */
record JwtKeyRing(List<OctetSequenceKey> keys, boolean generated) {

    static JwtKeyRing fromSpec(@Nullable String spec) {
        if (spec == null || spec.isBlank()) {
            byte[] secret = new byte[32];
            new SecureRandom().nextBytes(secret);
            return new JwtKeyRing(List.of(key("generated", secret)), true);
        }
        List<OctetSequenceKey> keys = new ArrayList<>();
        for (String entry : spec.split(",")) {
            String trimmed = entry.strip();
            int colon = trimmed.indexOf(':');
            if (colon < 1) {
                throw new IllegalArgumentException("agentry.api.auth.jwt-keys entries must be kid:base64key");
            }
            byte[] secret = Base64.getDecoder().decode(trimmed.substring(colon + 1));
            if (secret.length < 32) {
                throw new IllegalArgumentException(
                        "JWT key " + trimmed.substring(0, colon) + " is shorter than 32 bytes (HS256 needs 256 bits)");
            }
            keys.add(key(trimmed.substring(0, colon), secret));
        }
        return new JwtKeyRing(List.copyOf(keys), false);
    }

    private static OctetSequenceKey key(String kid, byte[] secret) {
        return new OctetSequenceKey.Builder(secret)
                .keyID(kid)
                .keyUse(KeyUse.SIGNATURE)
                .algorithm(JWSAlgorithm.HS256)
                .build();
    }

    OctetSequenceKey current() {
        return keys.getFirst();
    }

    JWKSet all() {
        return new JWKSet(List.<JWK>copyOf(keys));
    }
}
