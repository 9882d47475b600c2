package cn.eport.webhooks;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.apache.hc.client5.http.DnsResolver;

/**
 * HttpClient's name resolution, answered by {@link EndpointPolicy}: HttpClient connects only to the
 * addresses returned here, and these are the very addresses the policy has just checked. Checking
 * the URL at registration alone would leave a DNS-rebinding window: the name could resolve to a
 * public address then and to 169.254.169.254 at delivery.
 */
final class PolicyEnforcingDnsResolver implements DnsResolver {

    private final EndpointPolicy policy;

    PolicyEnforcingDnsResolver(EndpointPolicy policy) {
        this.policy = policy;
    }

    /** @throws EndpointRefusedException when any address of the host is refused */
    @Override
    public InetAddress[] resolve(String host) throws UnknownHostException {
        return policy.resolveAllowed(host).toArray(InetAddress[]::new);
    }

    /**
     * Returns the name unchanged: HttpClient asks for it only for Kerberos/SPNEGO, which webhooks
     * never use, and a reverse lookup would be one more query an outsider's DNS server could answer.
     */
    @Override
    public String resolveCanonicalHostname(String host) {
        return host;
    }
}
