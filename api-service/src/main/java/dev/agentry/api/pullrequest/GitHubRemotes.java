package dev.agentry.api.pullrequest;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Whether a clone URL is on a GitHub host: https/http/ssh URLs and scp-like {@code git@host:owner/name}. */
final class GitHubRemotes {

    private static final Pattern SCP_LIKE = Pattern.compile("^[\\w.-]+@([\\w.-]+):.+$");

    private GitHubRemotes() {}

    static boolean isGitHub(String url, List<String> hosts) {
        String trimmed = url.strip();
        String host;
        String hostWithPort;
        Matcher scp = SCP_LIKE.matcher(trimmed);
        if (trimmed.contains("://")) {
            try {
                URI uri = URI.create(trimmed);
                if (uri.getHost() == null) {
                    return false;
                }
                host = uri.getHost().toLowerCase(Locale.ROOT);
                hostWithPort = uri.getPort() < 0 ? host : host + ":" + uri.getPort();
            } catch (IllegalArgumentException e) {
                return false;
            }
        } else if (scp.matches()) {
            host = scp.group(1).toLowerCase(Locale.ROOT);
            hostWithPort = host;
        } else {
            return false;
        }
        return hosts.stream()
                .map(h -> h.strip().toLowerCase(Locale.ROOT))
                .anyMatch(h -> h.equals(hostWithPort) || h.equals(host) && !h.contains(":"));
    }
}
