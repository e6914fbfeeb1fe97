package dev.agentry.worker.workspace;

import dev.agentry.events.network.AddressPolicy;
import dev.agentry.worker.git.Redactor;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Which repository URLs a worker clones, checked like a webhook before git is started. {@code https} only; its host
 * is resolved and refused when any address is loopback, private, link-local (the cloud metadata address), or
 * otherwise not public, by the same {@link AddressPolicy} the webhooks use, unless the operator allowed that
 * network ({@code agentry.worker.repository-allowed-networks}). The clone is then pinned to the addresses that were
 * judged ({@code http.curloptResolve}), so a second DNS answer cannot send it elsewhere. Plain {@code http} is only
 * for hosts in an operator-allowed network (a token is never sent in the clear to anyone else); {@code ssh},
 * {@code git://} and scp-like URLs are not cloned (the worker's git allows https only); {@code file://} and local
 * paths only when local repositories are allowed; transports that run commands ({@code ext::}) never.
 */
public final class RepositoryUrls {

    private static final Pattern SCHEME = Pattern.compile("^([a-zA-Z][a-zA-Z0-9+.-]*)://.*");
    private static final Pattern SCP_LIKE = Pattern.compile("^[\\w.-]+@[\\w.-]+:.+");

    /** Name resolution, a seam so the policy's decisions are tested without DNS or a connection. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    /**
     * A URL that may be cloned.
     *
     * @param gitSettings {@code name=value} settings for the clone's git: the resolution it is pinned to
     */
    public record Checked(String url, List<String> gitSettings) {
        public Checked {
            gitSettings = List.copyOf(gitSettings);
        }
    }

    private final boolean allowLocal;
    private final AddressPolicy policy;
    private final Resolver resolver;

    public RepositoryUrls(boolean allowLocal, List<String> allowedNetworks, Resolver resolver) {
        this.allowLocal = allowLocal;
        this.policy = new AddressPolicy(allowedNetworks);
        this.resolver = resolver;
    }

    /** @throws RefusedRepositoryException saying why, with no credential in the message */
    public Checked check(String url) {
        String trimmed = url.strip();
        if (trimmed.isEmpty() || trimmed.startsWith("-")) {
            throw new RefusedRepositoryException("not a repository URL: " + Redactor.redact(url, null));
        }
        var scheme = SCHEME.matcher(trimmed);
        if (scheme.matches()) {
            String name = scheme.group(1).toLowerCase(Locale.ROOT);
            return switch (name) {
                case "https" -> remote(trimmed, false);
                case "http" -> remote(trimmed, true);
                case "file" -> local(trimmed, "repository URL scheme file is not allowed");
                default ->
                    throw new RefusedRepositoryException(
                            "repository URL scheme " + name + " is not allowed; the worker clones https repositories");
            };
        }
        if (trimmed.contains("::")) {
            throw new RefusedRepositoryException("git transport helpers are not allowed");
        }
        if (SCP_LIKE.matcher(trimmed).matches()) {
            throw new RefusedRepositoryException("ssh repositories are not cloned; give the https URL");
        }
        return local(trimmed, "local repository paths are not allowed");
    }

    private Checked local(String url, String refusal) {
        if (!allowLocal) {
            throw new RefusedRepositoryException(
                    refusal + " (set agentry.worker.allow-local-repos=true to allow local repositories)");
        }
        return new Checked(url, List.of());
    }

    private Checked remote(String url, boolean plainHttp) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new RefusedRepositoryException("not a repository URL: " + Redactor.redact(url, null));
        }
        @Nullable String host = uri.getHost();
        if (host == null || host.isBlank()) {
            throw new RefusedRepositoryException("the repository URL names no host");
        }
        String bare = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(bare);
        } catch (UnknownHostException e) {
            throw new RefusedRepositoryException("the repository host " + host + " cannot be resolved");
        }
        List<String> pinned = new ArrayList<>();
        for (InetAddress address : addresses) {
            Optional<String> refusal = policy.refusal(address);
            if (refusal.isPresent()) {
                throw new RefusedRepositoryException("the repository host " + host + " resolves to "
                        + address.getHostAddress() + ", a " + refusal.get() + " address; clones go to public hosts"
                        + " only (an operator may allow a network: agentry.worker.repository-allowed-networks)");
            }
            if (plainHttp && !policy.allowedByOperator(address)) {
                throw new RefusedRepositoryException("plain http repositories are refused (a token would travel in"
                        + " the clear); give the https URL");
            }
            String literal = address.getHostAddress();
            pinned.add(literal.contains(":") ? "[" + literal + "]" : literal);
        }
        if (bare.matches("[0-9a-fA-F:.]+")) {
            // An address literal: nothing is resolved, nothing to pin.
            return new Checked(url, List.of());
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : plainHttp ? 80 : 443;
        return new Checked(url, List.of("http.curloptResolve=" + host + ":" + port + ":" + String.join(",", pinned)));
    }
}
