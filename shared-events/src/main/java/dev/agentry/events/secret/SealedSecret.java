package dev.agentry.events.secret;

/**
 * A secret encrypted with AES-GCM under a key of the {@link SecretSealer}'s key ring. It travels through Kafka
 * and rests in PostgreSQL in this form only; {@link #toString()} never shows it.
 *
 * @param value {@code <key id>:<base64 of nonce and ciphertext>}
 */
public record SealedSecret(String value) {

    @Override
    public String toString() {
        return "SealedSecret[***]";
    }
}
