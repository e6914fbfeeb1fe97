package dev.agentry.worker.workspace;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The decisions of the clone policy, made on addresses a stand-in resolver gives: no DNS, no connection. The host
 * names are the ones an attacker would register, resolving to what the policy must refuse.
 */
class RepositoryUrlsTest {

    private static final Map<String, String> DNS = Map.of(
            "github.com", "140.82.121.4",
            "git.example.org", "2001:4860:4860::8888",
            "metadata.attacker.example", "169.254.169.254",
            "intranet.attacker.example", "10.1.2.3",
            "router.attacker.example", "192.168.1.1",
            "loopback.attacker.example", "127.0.0.1",
            "ula.attacker.example", "fd00::1",
            "nat64.attacker.example", "64:ff9b::a9fe:a9fe",
            "git.internal", "10.20.30.40");

    private static final RepositoryUrls PUBLIC_ONLY = new RepositoryUrls(false, List.of(), RepositoryUrlsTest::resolve);

    @ParameterizedTest
    @ValueSource(strings = {"https://github.com/org/repo.git", "https://x-access-token:t@git.example.org/org/repo"})
    void clonesPublicHttpsHostsPinnedToTheAddressesItJudged(String url) {
        RepositoryUrls.Checked checked = PUBLIC_ONLY.check(url);

        assertThat(checked.gitSettings()).singleElement().asString().startsWith("http.curloptResolve=");
        assertThat(PUBLIC_ONLY.check("https://github.com/org/repo.git").gitSettings())
                .containsExactly("http.curloptResolve=github.com:443:140.82.121.4");
    }

    @ParameterizedTest
    @CsvSource({
        "https://metadata.attacker.example/r.git, link-local (incl. cloud metadata)",
        "https://169.254.169.254/latest/meta-data, link-local (incl. cloud metadata)",
        "https://intranet.attacker.example/r.git, private (RFC 1918)",
        "https://router.attacker.example:8443/r.git, private (RFC 1918)",
        "https://loopback.attacker.example/r.git, loopback",
        "https://127.0.0.1:9092/r.git, loopback",
        "https://[::1]:5432/r.git, loopback",
        "https://ula.attacker.example/r.git, unique local (ULA)",
        "https://nat64.attacker.example/r.git, link-local (incl. cloud metadata) inside a NAT64 address"
    })
    void refusesHostsThatResolveToPrivateLoopbackLinkLocalOrMetadataAddresses(String url, String reason) {
        assertThatThrownBy(() -> PUBLIC_ONLY.check(url))
                .isInstanceOf(RefusedRepositoryException.class)
                .hasMessageContaining("a " + reason + " address")
                .hasMessageContaining("repository-allowed-networks");
    }

    @Test
    void anOperatorAllowedNetworkMayBeClonedFromEvenOverPlainHttp() {
        RepositoryUrls loopback = new RepositoryUrls(false, List.of("127.0.0.0/8"), RepositoryUrlsTest::resolve);

        assertThatCode(() -> loopback.check("http://127.0.0.1:8080/org/repo.git"))
                .doesNotThrowAnyException();
        assertThat(loopback.check("https://loopback.attacker.example/r.git").gitSettings())
                .containsExactly("http.curloptResolve=loopback.attacker.example:443:127.0.0.1");
        assertThatThrownBy(() -> loopback.check("https://metadata.attacker.example/r.git"))
                .isInstanceOf(RefusedRepositoryException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://github.com/org/repo.git", "http://x-access-token:ghp_x@github.com/org/repo.git"})
    void refusesPlainHttpToHostsOutsideTheOperatorsNetworks(String url) {
        assertThatThrownBy(() -> PUBLIC_ONLY.check(url))
                .isInstanceOf(RefusedRepositoryException.class)
                .hasMessageContaining("plain http")
                .hasMessageNotContaining("ghp_x");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ssh://git@github.com/org/repo.git", "git@github.com:org/repo.git", "git://github.com/r"})
    void refusesTransportsOtherThanHttps(String url) {
        assertThatThrownBy(() -> PUBLIC_ONLY.check(url)).isInstanceOf(RefusedRepositoryException.class);
    }

    @Test
    void refusesAHostThatDoesNotResolve() {
        assertThatThrownBy(() -> PUBLIC_ONLY.check("https://nowhere.invalid/r.git"))
                .isInstanceOf(RefusedRepositoryException.class)
                .hasMessageContaining("cannot be resolved");
    }

    @ParameterizedTest
    @ValueSource(strings = {"file:///etc/repo.git", "/srv/git/repo.git", "../repo", "repo"})
    void refusesLocalRepositoriesUnlessAllowed(String url) {
        assertThatThrownBy(() -> PUBLIC_ONLY.check(url))
                .isInstanceOf(RefusedRepositoryException.class)
                .hasMessageContaining("allow-local-repos");
        assertThatCode(() -> new RepositoryUrls(true, List.of(), RepositoryUrlsTest::resolve).check(url))
                .doesNotThrowAnyException();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ext::sh -c touch% /tmp/pwned", "--upload-pack=touch /tmp/x", "fd::17", "ftp://host/r"})
    void refusesTransportsThatRunCommandsOrInjectOptions(String url) {
        assertThatThrownBy(() -> new RepositoryUrls(true, List.of(), RepositoryUrlsTest::resolve).check(url))
                .isInstanceOf(RefusedRepositoryException.class);
    }

    /** Names from the table; address literals as the JDK parses them (no lookup for a literal). */
    private static InetAddress[] resolve(String host) throws UnknownHostException {
        String address = DNS.get(host);
        if (address != null) {
            return new InetAddress[] {InetAddress.getByName(address)};
        }
        if (host.matches("[0-9a-fA-F:.]+")) {
            return new InetAddress[] {InetAddress.getByName(host)};
        }
        throw new UnknownHostException(host);
    }
}
