package dev.agentry.events.network;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Which addresses a webhook may be sent to. Public unicast only, unless an allowed network says otherwise: no
 * loopback, private (RFC 1918), link-local (including 169.254.169.254, the cloud metadata address), CGNAT, multicast,
 * reserved or documentation ranges, nor their IPv6 counterparts (ULA, link-local, site-local), and IPv6 forms that
 * carry an IPv4 address (mapped, compatible, 6to4, NAT64) are judged by the IPv4 address inside them. Shared by
 * the scheduler's webhooks and the worker's clones: whatever a tenant names as a URL the platform calls.
 */
public final class AddressPolicy {

    private static final Map<Cidr, String> REFUSED_V4 = ranges(Map.ofEntries(
            Map.entry("0.0.0.0/8", "this-network (0.0.0.0/8)"),
            Map.entry("10.0.0.0/8", "private (RFC 1918)"),
            Map.entry("100.64.0.0/10", "carrier-grade NAT (100.64.0.0/10)"),
            Map.entry("127.0.0.0/8", "loopback"),
            Map.entry("169.254.0.0/16", "link-local (incl. cloud metadata)"),
            Map.entry("172.16.0.0/12", "private (RFC 1918)"),
            Map.entry("192.0.0.0/24", "IETF protocol assignments"),
            Map.entry("192.0.2.0/24", "documentation"),
            Map.entry("192.88.99.0/24", "6to4 relay anycast"),
            Map.entry("192.168.0.0/16", "private (RFC 1918)"),
            Map.entry("198.18.0.0/15", "benchmarking"),
            Map.entry("198.51.100.0/24", "documentation"),
            Map.entry("203.0.113.0/24", "documentation"),
            Map.entry("224.0.0.0/4", "multicast"),
            Map.entry("240.0.0.0/4", "reserved (incl. broadcast)")));

    private static final Map<Cidr, String> REFUSED_V6 = ranges(Map.ofEntries(
            Map.entry("::/128", "unspecified"),
            Map.entry("::1/128", "loopback"),
            Map.entry("100::/64", "discard-only"),
            Map.entry("64:ff9b:1::/48", "local-use NAT64"),
            Map.entry("2001::/32", "Teredo"),
            Map.entry("2001:db8::/32", "documentation"),
            Map.entry("fc00::/7", "unique local (ULA)"),
            Map.entry("fe80::/10", "link-local"),
            Map.entry("fec0::/10", "site-local"),
            Map.entry("ff00::/8", "multicast")));

    private static final Cidr GLOBAL_UNICAST_V6 = Cidr.parse("2000::/3");
    private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");
    private static final Cidr SIX_TO_FOUR = Cidr.parse("2002::/16");
    private static final Cidr V4_COMPATIBLE = Cidr.parse("::/96");
    // Written as bytes: the JDK turns the literal ::ffff:0:0 into the IPv4 address 0.0.0.0.
    private static final Cidr V4_MAPPED =
            new Cidr(new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, 0, 0, 0, 0}, 96);

    private final List<Cidr> allowed;

    /** @param allowedNetworks CIDR ranges the operator allows although the built-in classification refuses them */
    public AddressPolicy(List<String> allowedNetworks) {
        this.allowed = allowedNetworks.stream().map(Cidr::parse).toList();
    }

    /** Why this address may not be called, or empty when it may. */
    public Optional<String> refusal(InetAddress address) {
        if (isAllowed(address)) {
            return Optional.empty();
        }
        return classify(address);
    }

    /** Whether the address is in a network the operator allowed (public or not). */
    public boolean allowedByOperator(InetAddress address) {
        return isAllowed(address);
    }

    private boolean isAllowed(InetAddress address) {
        return allowed.stream()
                .anyMatch(cidr -> cidr.contains(address)
                        || embeddedV4(address).map(cidr::contains).orElse(false));
    }

    /** The built-in classification, ignoring the allow-list. */
    public static Optional<String> classify(InetAddress address) {
        if (address instanceof Inet4Address) {
            return refusedBy(REFUSED_V4, address.getAddress());
        }
        Optional<InetAddress> v4 = embeddedV4(address);
        if (v4.isPresent()) {
            return classify(v4.get()).map(reason -> reason + " inside " + form(address));
        }
        Optional<String> named = refusedBy(REFUSED_V6, address.getAddress());
        if (named.isPresent() || GLOBAL_UNICAST_V6.contains(address)) {
            return named;
        }
        return Optional.of("reserved (outside IPv6 global unicast 2000::/3)");
    }

    private static Optional<String> refusedBy(Map<Cidr, String> ranges, byte[] address) {
        return ranges.entrySet().stream()
                .filter(range -> range.getKey().contains(address))
                .map(Map.Entry::getValue)
                .findFirst();
    }

    /** The IPv4 address an IPv6 address carries: mapped, compatible, 6to4 or NAT64 (well-known prefix). */
    static Optional<InetAddress> embeddedV4(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return Optional.empty();
        }
        byte[] bytes = address.getAddress();
        if (V4_MAPPED.contains(bytes) || NAT64.contains(bytes)) {
            return v4(Arrays.copyOfRange(bytes, 12, 16));
        }
        if (SIX_TO_FOUR.contains(bytes)) {
            return v4(Arrays.copyOfRange(bytes, 2, 6));
        }
        // ::/96 also holds :: and ::1, which the IPv6 table names more precisely.
        if (V4_COMPATIBLE.contains(bytes) && !isUnspecifiedOrLoopback(bytes)) {
            return v4(Arrays.copyOfRange(bytes, 12, 16));
        }
        return Optional.empty();
    }

    private static boolean isUnspecifiedOrLoopback(byte[] bytes) {
        for (int i = 0; i < 15; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[15] == 0 || bytes[15] == 1;
    }

    private static String form(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (NAT64.contains(bytes)) {
            return "a NAT64 address";
        }
        if (SIX_TO_FOUR.contains(bytes)) {
            return "a 6to4 address";
        }
        return "an IPv4-in-IPv6 address";
    }

    private static Optional<InetAddress> v4(byte[] bytes) {
        try {
            return Optional.of(InetAddress.getByAddress(bytes));
        } catch (UnknownHostException e) {
            throw new IllegalStateException("Four bytes are always an IPv4 address", e);
        }
    }

    private static Map<Cidr, String> ranges(Map<String, String> byCidr) {
        return byCidr.entrySet().stream()
                .collect(java.util.stream.Collectors.toUnmodifiableMap(
                        entry -> Cidr.parse(entry.getKey()), Map.Entry::getValue));
    }
}
