package dev.agentry.worker.git;

import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Which repository hosts a worker clones from beside public https ones, under {@code agentry.worker}.
 *
 * @param repositoryAllowedNetworks CIDR ranges (for example {@code 127.0.0.0/8}) whose addresses a {@code repo_url}
 *     may resolve to although they are loopback, private, link-local or otherwise not public, and where plain
 *     {@code http://} (with or without a token) is accepted. Empty (the default) allows public https hosts only;
 *     the tests and the local platform allow loopback
 */
@ConfigurationProperties("agentry.worker")
public record RepositoryProperties(List<String> repositoryAllowedNetworks) {

    public RepositoryProperties(@Nullable List<String> repositoryAllowedNetworks) {
        this.repositoryAllowedNetworks =
                repositoryAllowedNetworks == null ? List.of() : List.copyOf(repositoryAllowedNetworks);
    }
}
