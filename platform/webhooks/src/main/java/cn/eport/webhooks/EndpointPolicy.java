package cn.eport.webhooks;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.apache.hc.client5.http.DnsResolver;

/**
 * Which subscriber URLs webhooks may be sent to, so that a subscriber cannot make us call into our
 * own network (server-side request forgery).
 *
 * <p>A URL is accepted when it is {@code https}, carries no user name or password, and its host is
 * a public address or a name all of whose addresses are public. Refused: private networks
 * (10/8, 172.16/12, 192.168/16, fc00::/7), loopback, link-local (169.254/16 with the cloud metadata
 * service, fe80::/10), carrier-grade NAT (100.64/10), 0.0.0.0/8, unspecified, multicast, reserved,
 * the IPv6 forms that carry such an IPv4 address, and number-only hosts in forms other than the
 * dotted quad. In development mode loopback is allowed as well, and plain {@code http} to
 * {@code localhost} or a loopback address.
 *
 * <p>The policy is applied twice: by {@link #check} when a subscriber registers a URL, and again by
 * {@link WebhookSender} when it connects, on the addresses the name resolves to at that moment.
 * Instances are immutable and safe to share.
 */
public final class EndpointPolicy {

    /** Finds the addresses of a host name; the seam through which tests stand in for DNS. */
    @FunctionalInterface
    public interface NameResolver {

        /**
         * Every address of the host.
         *
         * @throws UnknownHostException when the name has none
         */
        List<InetAddress> resolve(String host) throws UnknownHostException;

        /** The JDK's resolver: the machine's own DNS configuration. */
        static NameResolver system() {
            return host -> List.of(InetAddress.getAllByName(host));
        }
    }

    private final boolean developmentMode;
    private final NameResolver resolver;

    /**
     * @param developmentMode true only on a developer's machine or in tests: allows loopback, and
     *     plain http to it
     */
    public EndpointPolicy(boolean developmentMode, NameResolver resolver) {
        this.developmentMode = developmentMode;
        this.resolver = resolver;
    }

    /** https to public addresses only, names resolved by the system's DNS. */
    public static EndpointPolicy production() {
        return new EndpointPolicy(false, NameResolver.system());
    }

    /** As {@link #production()}, and also this machine, over http or https. */
    public static EndpointPolicy development() {
        return new EndpointPolicy(true, NameResolver.system());
    }

    public boolean developmentMode() {
        return developmentMode;
    }

    /**
     * Whether webhooks may be sent to this URL, judged on its form and on the addresses its host
     * resolves to now. A host that does not resolve is refused: the subscriber most likely mistyped
     * it. Never throws for a bad URL; that is a refusal like any other.
     */
    public EndpointCheck check(URI endpoint) {
        Optional<String> formRefusal = formRefusal(endpoint);
        if (formRefusal.isPresent()) {
            return EndpointCheck.refuse(formRefusal.get());
        }
        String host = endpoint.getHost();
        List<InetAddress> addresses;
        try {
            addresses = resolveAllowed(host);
        } catch (EndpointRefusedException e) {
            return EndpointCheck.refuse(e.reason());
        } catch (UnknownHostException e) {
            return EndpointCheck.refuse("the host " + host + " could not be found in DNS");
        }
        if (isPlainHttp(endpoint) && !addresses.stream().allMatch(AddressRules::isLoopback)) {
            return EndpointCheck.refuse("the host " + host + " does not resolve to this machine only,"
                    + " and plain http is accepted only to this machine; use https");
        }
        return EndpointCheck.accept();
    }

    /**
     * What is wrong with the URL itself, no DNS asked: scheme, user info, host and port. This is
     * what {@link WebhookSender} checks before each delivery; the addresses are checked by
     * {@link #resolveAllowed} when it connects.
     */
    Optional<String> formRefusal(URI endpoint) {
        if (!endpoint.isAbsolute() || endpoint.isOpaque()) {
            return Optional.of("the address must be a full URL starting with https://");
        }
        String scheme = endpoint.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !scheme.equals("http")) {
            return Optional.of("the scheme " + scheme + ": is not accepted; use https");
        }
        if (endpoint.getRawUserInfo() != null) {
            // Credentials in the URL end up in logs and in our database; they are also the classic
            // disguise, https://trusted.example@10.0.0.5/.
            return Optional.of("a user name or password in the URL is not accepted; authenticate with the webhook signature");
        }
        String host = endpoint.getHost();
        if (host == null || host.isEmpty()) {
            return Optional.of("the URL has no host name that can be read (letters, digits, hyphens and dots)");
        }
        if (AddressRules.isAmbiguousNumericHost(host)) {
            return Optional.of("the host " + host + " is a number in an unusual form;"
                    + " write an IP address as four decimal numbers, or use a host name");
        }
        int port = endpoint.getPort();
        if (port == 0 || port > 65535) {
            return Optional.of("the port " + port + " is not a port one can connect to");
        }
        if (scheme.equals("http")) {
            if (!developmentMode) {
                return Optional.of("plain http is not accepted; use https");
            }
            if (!isLoopbackHost(host)) {
                return Optional.of("plain http is accepted only to this machine (localhost) in development mode; use https");
            }
        }
        return Optional.empty();
    }

    /**
     * The addresses of the host, each of them allowed. A name with any refused address is refused
     * whole rather than filtered: mixing public and private addresses is a misconfiguration or an
     * attack, and filtering would make deliveries depend on which address came first.
     *
     * @param host a host name or IP literal, IPv6 with or without brackets
     * @throws EndpointRefusedException when the host or any of its addresses is refused
     * @throws UnknownHostException when the name does not resolve
     */
    List<InetAddress> resolveAllowed(String host) throws UnknownHostException {
        if (AddressRules.isAmbiguousNumericHost(host)) {
            throw new EndpointRefusedException("the host " + host + " is a number in an unusual form");
        }
        if (AddressRules.isLiteral(host)) {
            InetAddress address;
            try {
                address = AddressRules.literal(host);
            } catch (IllegalArgumentException e) {
                throw new EndpointRefusedException(String.valueOf(e.getMessage()));
            }
            Optional<String> refusal = AddressRules.refusal(address, developmentMode);
            if (refusal.isPresent()) {
                throw new EndpointRefusedException("the host " + host + " is " + refusal.get());
            }
            return List.of(address);
        }
        List<InetAddress> addresses = new ArrayList<>(resolver.resolve(host));
        if (addresses.isEmpty()) {
            throw new UnknownHostException(host);
        }
        for (InetAddress address : addresses) {
            Optional<String> refusal = AddressRules.refusal(address, developmentMode);
            if (refusal.isPresent()) {
                throw new EndpointRefusedException("the host " + host + " resolves to "
                        + AddressRules.describe(address) + ", " + refusal.get());
            }
        }
        return List.copyOf(addresses);
    }

    /** The resolver to build HttpClient with, so that it connects only to addresses checked here. */
    DnsResolver dnsResolver() {
        return new PolicyEnforcingDnsResolver(this);
    }

    private static boolean isPlainHttp(URI endpoint) {
        return endpoint.getScheme().equalsIgnoreCase("http");
    }

    /** {@code localhost} and its subdomains (RFC 6761), or a loopback IP literal. */
    private static boolean isLoopbackHost(String host) {
        String name = host.toLowerCase(Locale.ROOT);
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        if (name.equals("localhost") || name.endsWith(".localhost")) {
            return true;
        }
        if (!AddressRules.isLiteral(host)) {
            return false;
        }
        try {
            return AddressRules.isLoopback(AddressRules.literal(host));
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
