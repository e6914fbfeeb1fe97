package dev.agentry.worker.workspace;

import dev.agentry.worker.git.Redactor;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Which repository URLs a worker clones. Remote transports only ({@code https}, {@code http}, {@code ssh},
 * {@code git}, and scp-like {@code user@host:path}); {@code file://} and plain local paths only when local
 * repositories are allowed, because a task could otherwise read any repository on the worker's disk. Transports
 * that run commands ({@code ext::}) never.
 */
public final class RepositoryUrls {

    private static final Set<String> REMOTE_SCHEMES = Set.of("https", "http", "ssh", "git");
    private static final Pattern SCHEME = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*)://.*");
    private static final Pattern SCP_LIKE = Pattern.compile("^[\\w.-]+@[\\w.-]+:.+");

    private RepositoryUrls() {}

    /** @throws RefusedRepositoryException saying why, with no credential in the message */
    public static void check(String url, boolean allowLocal) {
        String trimmed = url.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("-")) {
            throw new RefusedRepositoryException("not a repository URL: " + Redactor.redact(url, null));
        }
        var scheme = SCHEME.matcher(trimmed);
        if (scheme.matches()) {
            String name = scheme.group(1).toLowerCase(Locale.ROOT);
            if (REMOTE_SCHEMES.contains(name)) {
                return;
            }
            if (name.equals("file") && allowLocal) {
                return;
            }
            throw new RefusedRepositoryException(
                    "repository URL scheme " + name + " is not allowed" + (name.equals("file") ? localHint() : ""));
        }
        if (trimmed.contains("::")) {
            throw new RefusedRepositoryException("git transport helpers are not allowed");
        }
        if (SCP_LIKE.matcher(trimmed).matches()) {
            return;
        }
        if (!allowLocal) {
            throw new RefusedRepositoryException("local repository paths are not allowed" + localHint());
        }
    }

    private static String localHint() {
        return " (set agentry.worker.allow-local-repos=true to allow local repositories)";
    }
}
