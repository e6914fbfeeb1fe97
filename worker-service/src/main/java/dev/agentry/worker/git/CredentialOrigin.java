package dev.agentry.worker.git;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The origin a task's token is for: {@code scheme://host[:port]} of the URL a remote git command names after
 * {@code --}, spelled the way git names it when it asks for a credential. Only http(s) URLs carry a token.
 */
final class CredentialOrigin {

    private CredentialOrigin() {}

    static Optional<String> of(List<String> args) {
        int separator = args.indexOf("--");
        if (separator < 0 || separator + 1 >= args.size()) {
            return Optional.empty();
        }
        try {
            URI uri = new URI(args.get(separator + 1).strip());
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
                return Optional.empty();
            }
            return Optional.of(scheme + "://" + uri.getHost() + (uri.getPort() >= 0 ? ":" + uri.getPort() : ""));
        } catch (URISyntaxException e) {
            return Optional.empty();
        }
    }
}
