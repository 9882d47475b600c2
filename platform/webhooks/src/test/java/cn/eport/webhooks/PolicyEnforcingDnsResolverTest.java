package cn.eport.webhooks;

import static cn.eport.webhooks.FakeDns.ip;
import static cn.eport.webhooks.FakeDns.ipv4MappedIpv6;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import org.apache.hc.client5.http.DnsResolver;
import org.junit.jupiter.api.Test;

class PolicyEnforcingDnsResolverTest {

    private final FakeDns dns = new FakeDns().answer("hooks.example.com", ip("93.184.215.14"), ip("2606:2800:21f::1"));
    private final EndpointPolicy production = new EndpointPolicy(false, dns);
    private final DnsResolver resolver = production.dnsResolver();

    @Test
    void hasHttpClientConnectToExactlyTheAddressesTheNameResolvedTo() throws UnknownHostException {
        assertThat(resolver.resolve("hooks.example.com")).containsExactly(ip("93.184.215.14"), ip("2606:2800:21f::1"));
        assertThat(resolver.resolve("hooks.example.com", 443)).containsExactly(
                new InetSocketAddress(ip("93.184.215.14"), 443), new InetSocketAddress(ip("2606:2800:21f::1"), 443));
    }

    @Test
    void refusesANameThatRebindsToTheMetadataServiceAfterRegistration() {
        dns.answer("rebinding.example.com", ip("93.184.215.14"));
        assertThat(production.check(URI.create("https://rebinding.example.com/hooks")).accepted()).isTrue();

        dns.answer("rebinding.example.com", ip("169.254.169.254"));

        assertThatThrownBy(() -> resolver.resolve("rebinding.example.com", 443))
                .isInstanceOf(UnknownHostException.class)
                .isInstanceOf(EndpointRefusedException.class)
                .hasMessageContaining("169.254.169.254")
                .hasMessageContaining("link-local");
    }

    @Test
    void refusesIpLiteralsAsHttpClientPassesThemWithOrWithoutBrackets() {
        assertThatThrownBy(() -> resolver.resolve("127.0.0.1")).isInstanceOf(EndpointRefusedException.class);
        assertThatThrownBy(() -> resolver.resolve("::1")).isInstanceOf(EndpointRefusedException.class);
        assertThatThrownBy(() -> resolver.resolve("[::ffff:10.0.0.1]")).isInstanceOf(EndpointRefusedException.class);
        assertThatThrownBy(() -> resolver.resolve("2130706433")).isInstanceOf(EndpointRefusedException.class);
        assertThat(dns.asked()).isEmpty();
    }

    @Test
    void refusesAnIpv6MappedAnswerForAPrivateAddress() {
        dns.answer("mapped.example.com", ipv4MappedIpv6("192.168.0.1"));

        assertThatThrownBy(() -> resolver.resolve("mapped.example.com"))
                .isInstanceOf(EndpointRefusedException.class)
                .hasMessageContaining("an IPv6 form of a private network address");
    }

    @Test
    void passesOnAnUnknownNameAsAnOrdinaryUnknownHost() {
        assertThatThrownBy(() -> resolver.resolve("nxdomain.example.com"))
                .isInstanceOf(UnknownHostException.class)
                .isNotInstanceOf(EndpointRefusedException.class);
    }

    @Test
    void allowsLoopbackInDevelopmentModeOnly() throws UnknownHostException {
        dns.answer("localhost", ip("127.0.0.1"));

        assertThat(new EndpointPolicy(true, dns).dnsResolver().resolve("localhost")).containsExactly(ip("127.0.0.1"));
        assertThatThrownBy(() -> resolver.resolve("localhost")).isInstanceOf(EndpointRefusedException.class);
    }

    @Test
    void answersTheCanonicalNameWithoutAReverseLookup() throws UnknownHostException {
        assertThat(resolver.resolveCanonicalHostname("hooks.example.com")).isEqualTo("hooks.example.com");
        assertThat(dns.asked()).isEmpty();
    }
}
