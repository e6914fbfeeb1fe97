package dev.agentry.worker.github;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A repository on GitHub, {@code owner/name}, as read from a clone URL. */
public record GitHubRepository(String owner, String name) {

    private static final Pattern SCP_LIKE = Pattern.compile("^[\\w.-]+@([\\w.-]+):(.+)$");

    @Override
    public String toString() {
        return owner + "/" + name;
    }

    /**
     * The repository of a clone URL when its host is one of {@code hosts}: {@code https://github.com/o/r(.git)},
     * {@code ssh://git@github.com/o/r.git}, {@code git@github.com:o/r.git}. A host in {@code hosts} may name a port.
     */
    public static Optional<GitHubRepository> parse(String url, List<String> hosts) {
        String trimmed = url.strip();
        String host;
        String hostWithPort;
        String path;
        Matcher scp = SCP_LIKE.matcher(trimmed);
        if (trimmed.contains("://")) {
            URI uri;
            try {
                uri = URI.create(trimmed);
            } catch (IllegalArgumentException e) {
                return Optional.empty();
            }
            if (uri.getHost() == null || uri.getPath() == null) {
                return Optional.empty();
            }
            host = uri.getHost().toLowerCase(Locale.ROOT);
            hostWithPort = uri.getPort() < 0 ? host : host + ":" + uri.getPort();
            path = uri.getPath();
        } else if (scp.matches()) {
            host = scp.group(1).toLowerCase(Locale.ROOT);
            hostWithPort = host;
            path = scp.group(2);
        } else {
            return Optional.empty();
        }
        boolean known = hosts.stream()
                .map(h -> h.strip().toLowerCase(Locale.ROOT))
                .anyMatch(h -> h.equals(hostWithPort) || h.equals(host) && !h.contains(":"));
        if (!known) {
            return Optional.empty();
        }
        String[] parts =
                path.replaceAll("^/+|/+$", "").replaceFirst("\\.git$", "").split("/");
        if (parts.length < 2 || parts[parts.length - 2].isBlank() || parts[parts.length - 1].isBlank()) {
            return Optional.empty();
        }
        return Optional.of(new GitHubRepository(parts[parts.length - 2], parts[parts.length - 1]));
    }
}
