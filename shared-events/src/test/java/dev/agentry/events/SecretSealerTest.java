package dev.agentry.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentry.events.secret.SealedSecret;
import dev.agentry.events.secret.SecretSealer;
import dev.agentry.events.secret.SecretUnavailableException;
import java.util.Base64;
import org.junit.jupiter.api.Test;

class SecretSealerTest {

    @Test
    void opensWhatItSealed() {
        var sealer = SecretSealer.fromSpec(SecretSealer.newSpec("k1"));

        SealedSecret sealed = sealer.seal("ghp_token");

        assertThat(sealed.value()).startsWith("k1:").doesNotContain("ghp_token");
        assertThat(sealed.toString()).doesNotContain(sealed.value());
        assertThat(sealer.open(sealed)).isEqualTo("ghp_token");
    }

    @Test
    void oldKeysStillOpenAfterRotation() {
        String oldKey = SecretSealer.newSpec("k1");
        SealedSecret sealedWithOld = SecretSealer.fromSpec(oldKey).seal("v");
        var rotated = SecretSealer.fromSpec(SecretSealer.newSpec("k2") + "," + oldKey);

        assertThat(rotated.open(sealedWithOld)).isEqualTo("v");
        assertThat(rotated.seal("w").value()).startsWith("k2:");
    }

    @Test
    void refusesTamperedOrForeignSecrets() {
        var sealer = SecretSealer.fromSpec(SecretSealer.newSpec("k1"));
        String value = sealer.seal("v").value();
        int colon = value.indexOf(':');
        // Flip a bit of the decoded bytes: a base64 character can carry unused padding bits, so editing the
        // text could decode to the very same bytes and "tamper" with nothing.
        byte[] bytes = Base64.getDecoder().decode(value.substring(colon + 1));
        bytes[bytes.length - 1] ^= 0x01;
        var tampered = new SealedSecret(
                value.substring(0, colon + 1) + Base64.getEncoder().encodeToString(bytes));

        assertThatThrownBy(() -> sealer.open(tampered)).isInstanceOf(SecretUnavailableException.class);
        assertThatThrownBy(() -> sealer.open(new SealedSecret("k9:AAAA")))
                .isInstanceOf(SecretUnavailableException.class);
        assertThatThrownBy(() -> SecretSealer.fromSpec("k1:c2hvcnQ=")).isInstanceOf(IllegalArgumentException.class);
    }
}
