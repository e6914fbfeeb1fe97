package dev.agentry.local;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentry.events.secret.SecretSealer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlatformSecretsTest {

    @TempDir
    Path dir;

    @Test
    void generatesSecretsOnceAndKeepsThem() {
        PlatformSecrets first = PlatformSecrets.load(dir, null);
        PlatformSecrets second = PlatformSecrets.load(dir, null);

        assertThat(second).isEqualTo(first);
        assertThat(first.bootstrapToken()).startsWith("agt_").hasSizeGreaterThan(40);
        SecretSealer sealer = SecretSealer.fromSpec(first.sealingKeys());
        assertThat(sealer.open(sealer.seal("hello"))).isEqualTo("hello");
    }

    @Test
    void writesSecretsForTheOwnerOnly() throws IOException {
        PlatformSecrets.load(dir, null);

        for (String file : new String[] {PlatformSecrets.SEALING_KEYS_FILE, PlatformSecrets.BOOTSTRAP_TOKEN_FILE}) {
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(file))))
                    .isEqualTo("rw-------");
        }
    }

    @Test
    void prefersAGivenTokenAndDoesNotWriteItDown() {
        PlatformSecrets secrets = PlatformSecrets.load(dir, "from-the-environment");

        assertThat(secrets.bootstrapToken()).isEqualTo("from-the-environment");
        assertThat(dir.resolve(PlatformSecrets.BOOTSTRAP_TOKEN_FILE)).doesNotExist();
    }

    @Test
    void neverShowsSecretsInItsStringForm() {
        PlatformSecrets secrets = PlatformSecrets.load(dir, null);

        assertThat(secrets.toString()).doesNotContain(secrets.bootstrapToken()).doesNotContain(secrets.sealingKeys());
    }
}
