package dev.agentry.local;

import dev.agentry.events.secret.SecretSealer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;

/**
 * The secrets a local platform needs and keeps between runs: the sealing key ring (api and worker must agree on it,
 * and sealed secrets in the database are unreadable without it), the API's bootstrap token and its JWT signing key. Both are generated on
 * first start and written to files only the owner can read.
 */
record PlatformSecrets(String sealingKeys, String bootstrapToken, String jwtKeys) {

    static final String SEALING_KEYS_FILE = "sealing-keys";
    static final String JWT_KEYS_FILE = "jwt-keys";
    static final String BOOTSTRAP_TOKEN_FILE = "bootstrap-token";

    /**
     * Loads the secrets kept in {@code dir}, generating what is missing. A {@code givenToken} wins over the kept one
     * and is not written down.
     */
    static PlatformSecrets load(Path dir, @Nullable String givenToken) {
        createPrivateDirectory(dir);
        String keys = readOrCreate(dir.resolve(SEALING_KEYS_FILE), () -> SecretSealer.newSpec("k1"));
        SecretSealer.fromSpec(keys);
        String token = givenToken != null
                ? givenToken
                : readOrCreate(dir.resolve(BOOTSTRAP_TOKEN_FILE), PlatformSecrets::newToken);
        // Kept, so sign-in tokens stay valid across a restart.
        String jwtKeys = readOrCreate(dir.resolve(JWT_KEYS_FILE), PlatformSecrets::newJwtKey);
        return new PlatformSecrets(keys, token, jwtKeys);
    }

    @Override
    public String toString() {
        return "PlatformSecrets[redacted]";
    }

    private static String newJwtKey() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return "j1:" + Base64.getEncoder().encodeToString(bytes);
    }

    private static String newToken() {
        byte[] bytes = new byte[32];
        new SecureRandom().nextBytes(bytes);
        return "agt_" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static String readOrCreate(Path file, Supplier<String> generator) {
        try {
            if (Files.exists(file)) {
                String value = Files.readString(file, StandardCharsets.UTF_8).trim();
                if (!value.isEmpty()) {
                    return value;
                }
            }
            String value = generator.get();
            Path temp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.deleteIfExists(temp);
            if (posix()) {
                Files.createFile(
                        temp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            }
            Files.writeString(temp, value + "\n", StandardCharsets.UTF_8);
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            return value;
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read or write " + file, e);
        }
    }

    private static void createPrivateDirectory(Path dir) {
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir);
                if (posix()) {
                    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create " + dir, e);
        }
    }

    private static boolean posix() {
        return FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    }
}
