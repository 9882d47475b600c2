package cn.eport.webhooks;

import static cn.eport.webhooks.FakeDns.ip;
import static cn.eport.webhooks.FakeDns.ipv4MappedIpv6;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EndpointPolicyTest {

    private final FakeDns dns = new FakeDns()
            .answer("hooks.example.com", ip("93.184.215.14"), ip("2606:2800:21f:cb07:6820:80da:af6b:8b2c"))
            .answer("localhost", ip("127.0.0.1"), ip("::1"));
    private final EndpointPolicy production = new EndpointPolicy(false, dns);
    private final EndpointPolicy development = new EndpointPolicy(true, dns);

    @ParameterizedTest(name = "{0} is refused: {1}")
    @CsvSource(delimiter = '|', value = {
            "10.0.0.5             | private network address (RFC 1918)",
            "10.255.255.255       | private network address (RFC 1918)",
            "172.16.0.1           | private network address (RFC 1918)",
            "172.31.255.254       | private network address (RFC 1918)",
            "192.168.1.1          | private network address (RFC 1918)",
            "100.64.0.1           | carrier-grade NAT",
            "100.127.255.254      | carrier-grade NAT",
            "169.254.169.254      | cloud metadata service",
            "169.254.1.1          | link-local",
            "127.0.0.1            | loopback",
            "127.8.9.10           | loopback",
            "0.0.0.0              | this network",
            "0.1.2.3              | this network",
            "224.0.0.1            | multicast",
            "239.255.255.250      | multicast",
            "240.0.0.1            | reserved",
            "255.255.255.255      | broadcast",
            "::1                  | loopback",
            "::                   | unspecified",
            "fc00::1              | unique local, RFC 4193",
            "fd12:3456:789a::1    | unique local, RFC 4193",
            "fd00:ec2::254        | unique local, RFC 4193", // the cloud metadata service over IPv6
            "fe80::1              | link-local",
            "febf:ffff::1         | link-local",
            "fec0::1              | site-local",
            "ff02::1              | multicast",
            "::ffff:10.0.0.5      | private network address (RFC 1918)",
            "::ffff:169.254.169.254 | cloud metadata service",
            "::ffff:127.0.0.1     | loopback",
            "64:ff9b::a9fe:a9fe   | IPv6 form of a link-local",
            "64:ff9b::a00:5       | IPv6 form of a private network address",
            "::a00:5              | deprecated IPv4-compatible",
    })
    void refusesAHostResolvingToAnAddressThatLeadsIntoOurNetwork(String address, String kind) {
        dns.answer("rebound.example.com", ip(address));

        EndpointCheck check = production.check(URI.create("https://rebound.example.com/hooks"));

        assertThat(check.accepted()).isFalse();
        assertThat(check.reason()).startsWith("the host rebound.example.com resolves to ").contains(kind);
    }

    @ParameterizedTest(name = "{0} is refused: {1}")
    @CsvSource(delimiter = '|', value = {
            "10.0.0.5                 | private network address (RFC 1918)",
            "172.20.1.1               | private network address (RFC 1918)",
            "192.168.0.10             | private network address (RFC 1918)",
            "100.100.100.200          | carrier-grade NAT",
            "169.254.169.254          | cloud metadata service",
            "127.0.0.1                | loopback",
            "0.0.0.0                  | this network",
            "[::1]                    | loopback",
            "[::]                     | unspecified",
            "[fd00::1]                | unique local",
            "[fe80::1]                | link-local",
            "[ff05::2]                | multicast",
            "[::ffff:169.254.169.254] | cloud metadata service",
            "[::ffff:a9fe:a9fe]       | cloud metadata service",
            "[::ffff:7f00:1]          | loopback",
            "[64:ff9b::7f00:1]        | IPv6 form of a loopback",
    })
    void refusesAnIpLiteralThatLeadsIntoOurNetwork(String host, String kind) {
        EndpointCheck check = production.check(URI.create("https://" + host + "/hooks"));

        assertThat(check.accepted()).isFalse();
        assertThat(check.reason()).contains(kind);
        assertThat(dns.asked()).isEmpty();
    }

    @Test
    void judgesAnIpv4MappedIpv6AnswerAsTheIpv4AddressItCarries() {
        dns.answer("mapped.example.com", ipv4MappedIpv6("169.254.169.254"));

        EndpointCheck check = production.check(URI.create("https://mapped.example.com/"));

        assertThat(check.accepted()).isFalse();
        assertThat(check.reason()).contains("an IPv6 form of a link-local address", "cloud metadata service");
    }

    @ParameterizedTest
    @ValueSource(strings = {"172.15.255.255", "172.32.0.1", "100.63.255.255", "100.128.0.1", "11.0.0.1",
            "192.169.0.1", "169.253.255.255", "223.255.255.254", "8.8.8.8", "2001:4860:4860::8888", "64:ff9b::808:808"})
    void acceptsPublicAddressesJustOutsideTheRefusedRanges(String address) {
        dns.answer("edge.example.com", ip(address));

        assertThat(production.check(URI.create("https://edge.example.com/")).accepted()).isTrue();
    }

    @Test
    void acceptsHttpsToAHostWhoseAddressesAreAllPublic() {
        assertThat(production.check(URI.create("https://hooks.example.com:8443/eport/events?tenant=7")))
                .isEqualTo(new EndpointCheck(true, "accepted"));
        assertThat(production.check(URI.create("HTTPS://hooks.example.com/")).accepted()).isTrue();
        assertThat(production.check(URI.create("https://93.184.215.14/hooks")).accepted()).isTrue();
    }

    @Test
    void refusesANameWithOnePrivateAddressAmongPublicOnes() {
        dns.answer("mixed.example.com", ip("93.184.215.14"), ip("10.1.2.3"));

        EndpointCheck check = production.check(URI.create("https://mixed.example.com/"));

        assertThat(check.accepted()).isFalse();
        assertThat(check.reason()).contains("10.1.2.3", "private network");
    }

    @Test
    void refusesAHostThatDoesNotResolve() {
        EndpointCheck check = production.check(URI.create("https://nxdomain.example.com/"));

        assertThat(check.accepted()).isFalse();
        assertThat(check.reason()).isEqualTo("the host nxdomain.example.com could not be found in DNS");
    }

    @Test
    void refusesPlainHttpOutsideDevelopmentMode() {
        assertThat(production.check(URI.create("http://hooks.example.com/")))
                .isEqualTo(new EndpointCheck(false, "plain http is not accepted; use https"));
        assertThat(production.check(URI.create("http://localhost:8080/")).accepted()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://hooks.example.com/", "file:///etc/passwd", "gopher://hooks.example.com:70/_x",
            "ws://hooks.example.com/", "javascript:alert(1)", "mailto:ops@example.com", "//hooks.example.com/relative", "/hooks"})
    void refusesEverySchemeButHttps(String url) {
        EndpointCheck check = development.check(URI.create(url));

        assertThat(check.accepted()).isFalse();
        assertThat(check.reason()).contains("https");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://user:secret@hooks.example.com/", "https://hooks.example.com@10.0.0.5/", "https://token@hooks.example.com/"})
    void refusesAUserNameOrPasswordInTheUrl(String url) {
        EndpointCheck check = production.check(URI.create(url));

        assertThat(check.accepted()).isFalse();
        assertThat(check.reason()).contains("user name or password");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://2130706433/", "https://0x7f000001/", "https://0177.0.0.1/", "https://127.1/",
            "https://0x7f.0.0.1/", "https://169.254.43518/", "https://0251.0376.0251.0376/"})
    void refusesNumberOnlyHostsInAnyFormButTheDottedQuad(String url) {
        EndpointCheck check = development.check(URI.create(url));

        assertThat(check.accepted()).isFalse();
        assertThat(dns.asked()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"https:///hooks", "https://under_score.example.com/", "https://hooks.example.com:0/", "https://[fe80::1%25eth0]/"})
    void refusesAUrlWithoutAUsableHostOrPort(String url) {
        assertThat(production.check(URI.create(url)).accepted()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://localhost:8080/hooks", "http://LOCALHOST./hooks", "http://127.0.0.1:9000/", "http://[::1]:9000/",
            "https://localhost/", "https://127.0.0.2/"})
    void acceptsThisMachineInDevelopmentModeOverHttpOrHttps(String url) {
        dns.answer("localhost.", ip("127.0.0.1")).answer("LOCALHOST.", ip("127.0.0.1"));

        assertThat(development.check(URI.create(url))).isEqualTo(new EndpointCheck(true, "accepted"));
    }

    @Test
    void refusesPlainHttpToAnotherMachineEvenInDevelopmentMode() {
        EndpointCheck check = development.check(URI.create("http://hooks.example.com/"));

        assertThat(check.accepted()).isFalse();
        assertThat(check.reason()).contains("only to this machine");
    }

    @Test
    void refusesPlainHttpToALocalhostNameThatResolvesElsewhere() {
        dns.answer("api.localhost", ip("93.184.215.14"));

        assertThat(development.check(URI.create("http://api.localhost/")).accepted()).isFalse();
    }

    @Test
    void stillRefusesPrivateAndLinkLocalAddressesInDevelopmentMode() {
        assertThat(development.check(URI.create("https://169.254.169.254/latest/meta-data/")).accepted()).isFalse();
        assertThat(development.check(URI.create("https://10.0.0.5/")).accepted()).isFalse();
        assertThat(development.check(URI.create("https://[fd00::1]/")).accepted()).isFalse();
        // NAT64 would carry it to the gateway's own loopback, not to this machine's.
        assertThat(development.check(URI.create("https://[64:ff9b::7f00:1]/")).accepted()).isFalse();
    }

    @Test
    void refusesLoopbackOutsideDevelopmentMode() {
        EndpointCheck check = production.check(URI.create("https://localhost/"));

        assertThat(check.accepted()).isFalse();
        assertThat(check.reason()).isEqualTo("the host localhost resolves to 127.0.0.1, a loopback address (this machine)");
    }

    @Test
    void checksOnlyTheFormOfTheUrlWithoutAskingDns() {
        assertThat(production.formRefusal(URI.create("https://hooks.example.com/"))).isEmpty();
        assertThat(production.formRefusal(URI.create("http://hooks.example.com/"))).isPresent();
        assertThat(dns.asked()).isEmpty();
    }

    @Test
    void onlyTheDevelopmentPolicyIsInDevelopmentMode() {
        assertThat(EndpointPolicy.production().developmentMode()).isFalse();
        assertThat(EndpointPolicy.development().developmentMode()).isTrue();
    }
}
