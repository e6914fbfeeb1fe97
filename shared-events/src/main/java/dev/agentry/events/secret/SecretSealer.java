package dev.agentry.events.secret;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals and opens secrets with AES-256-GCM. The key ring maps key ids to keys; new secrets are sealed with the
 * current key, and any key still in the ring opens what it sealed, so keys rotate without re-encrypting at once.
 * The key id is bound to the ciphertext as associated data.
 */
public final class SecretSealer {

    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;

    private final String currentKeyId;
    private final Map<String, SecretKey> keys;
    private final SecureRandom random = new SecureRandom();

    private SecretSealer(String currentKeyId, Map<String, SecretKey> keys) {
        this.currentKeyId = currentKeyId;
        this.keys = keys;
    }

    /**
     * Builds a sealer from a key-ring specification: comma-separated {@code id:base64key} entries, the first one
     * current. Each key is 32 bytes (AES-256).
     */
    public static SecretSealer fromSpec(String spec) {
        Map<String, SecretKey> keys = new LinkedHashMap<>();
        for (String entry : spec.split(",")) {
            String trimmed = entry.trim();
            int colon = trimmed.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("A sealing key must look like <id>:<base64 of 32 bytes>");
            }
            byte[] key = Base64.getDecoder().decode(trimmed.substring(colon + 1));
            if (key.length != 32) {
                throw new IllegalArgumentException("Sealing key " + trimmed.substring(0, colon) + " is not 32 bytes");
            }
            keys.put(trimmed.substring(0, colon), new SecretKeySpec(key, "AES"));
        }
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("The sealing key ring is empty");
        }
        return new SecretSealer(keys.keySet().iterator().next(), Map.copyOf(keys));
    }

    /** A fresh random key ring specification with one key, for first starts and tests. */
    public static String newSpec(String keyId) {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return keyId + ":" + Base64.getEncoder().encodeToString(key);
    }

    public SealedSecret seal(String plaintext) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, currentKeyId, nonce);
            byte[] sealed = cipher.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[NONCE_BYTES + sealed.length];
            System.arraycopy(nonce, 0, out, 0, NONCE_BYTES);
            System.arraycopy(sealed, 0, out, NONCE_BYTES, sealed.length);
            return new SealedSecret(currentKeyId + ":" + Base64.getEncoder().encodeToString(out));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM sealing failed", e);
        }
    }

    public String open(SealedSecret secret) {
        String value = secret.value();
        int colon = value.indexOf(':');
        if (colon <= 0) {
            throw new SecretUnavailableException("The sealed secret has no key id");
        }
        String keyId = value.substring(0, colon);
        if (!keys.containsKey(keyId)) {
            throw new SecretUnavailableException("No sealing key with id " + keyId + " is configured");
        }
        byte[] in;
        try {
            in = Base64.getDecoder().decode(value.substring(colon + 1));
        } catch (IllegalArgumentException e) {
            throw new SecretUnavailableException("The sealed secret is not base64");
        }
        if (in.length <= NONCE_BYTES) {
            throw new SecretUnavailableException("The sealed secret is truncated");
        }
        byte[] nonce = new byte[NONCE_BYTES];
        System.arraycopy(in, 0, nonce, 0, NONCE_BYTES);
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, keyId, nonce);
            return new String(cipher.doFinal(in, NONCE_BYTES, in.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException e) {
            throw new SecretUnavailableException("The sealed secret does not open with key " + keyId);
        }
    }

    private Cipher cipher(int mode, String keyId, byte[] nonce) throws GeneralSecurityException {
        Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
        cipher.init(mode, keys.get(keyId), new GCMParameterSpec(TAG_BITS, nonce));
        cipher.updateAAD(keyId.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }
}
