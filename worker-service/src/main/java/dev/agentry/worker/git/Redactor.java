package dev.agentry.worker.git;

import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/** Takes credentials out of text before it is logged or sent: the token itself and any user info in URLs. */
public final class Redactor {

    private static final Pattern URL_USER_INFO = Pattern.compile("(?i)([a-z][a-z0-9+.-]*://)[^/@\\s]+@");

    private Redactor() {}

    public static String redact(String text, @Nullable String secret) {
        String redacted = URL_USER_INFO.matcher(text).replaceAll("$1***@");
        if (secret != null && !secret.isEmpty()) {
            redacted = redacted.replace(secret, "***");
        }
        return redacted;
    }
}
