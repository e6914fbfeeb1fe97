package dev.agentry.events.network;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class AddressPolicyTest {

    private final AddressPolicy strict = new AddressPolicy(List.of());

    @ParameterizedTest(name = "{0} is refused as {1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "127.0.0.1|loopback",
                "10.1.2.3|private",
                "172.16.0.1|private",
                "172.31.255.255|private",
                "192.168.1.1|private",
                "169.254.169.254|link-local",
                "100.64.0.1|carrier-grade NAT",
                "224.0.0.1|multicast",
                "0.0.0.0|this-network",
                "240.0.0.1|reserved",
                "255.255.255.255|reserved",
                "198.18.0.1|benchmarking",
                "::1|loopback",
                "::|unspecified",
                "fc00::1|unique local",
                "fd12:3456::1|unique local",
                "fe80::1|link-local",
                "ff02::1|multicast",
                "::ffff:127.0.0.1|loopback",
                "::ffff:169.254.169.254|link-local",
                "2002:7f00:1::|loopback inside a 6to4 address",
                "2002:a00:1::|private (RFC 1918) inside a 6to4 address",
                "64:ff9b::7f00:1|loopback inside a NAT64 address",
                "64:ff9b::a9fe:a9fe|link-local (incl. cloud metadata) inside a NAT64 address",
                "::127.0.0.1|loopback inside an IPv4-in-IPv6 address",
                "2001:db8::1|documentation"
            })
    void refusesAddressesThatAreNotPublic(String address, String reason) throws Exception {
        assertThat(strict.refusal(InetAddress.getByName(address)))
                .hasValueSatisfying(why -> assertThat(why).contains(reason));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "93.184.215.14",
                "8.8.8.8",
                "172.32.0.1",
                "100.128.0.1",
                "2606:4700::6810:84e5",
                "2002:5db8:d70e::",
                "64:ff9b::808:808"
            })
    void allowsPublicAddresses(String address) throws Exception {
        assertThat(strict.refusal(InetAddress.getByName(address))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "::ffff:127.0.0.1", "64:ff9b::7f00:1"})
    void anAllowedNetworkLetsPrivateTargetsThrough(String address) throws Exception {
        AddressPolicy local = new AddressPolicy(List.of("127.0.0.0/8"));

        assertThat(local.refusal(InetAddress.getByName(address))).isEmpty();
        assertThat(local.refusal(InetAddress.getByName("10.0.0.1"))).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "10.0.0.8", "169.254.169.254"})
    void judgesAnIpv4MappedAddressTheJdkKeptAsIpv6ByTheAddressInside(String v4) throws Exception {
        byte[] inner = InetAddress.getByName(v4).getAddress();
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(inner, 0, mapped, 12, 4);

        assertThat(strict.refusal(Inet6Address.getByAddress(null, mapped, -1))).isPresent();
    }
}
