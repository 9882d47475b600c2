package cn.eport.webhooks;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Which IP addresses a webhook may be sent to: any public unicast address, and loopback only in
 * development mode. Everything else is a way into our own network (or the cloud's metadata service)
 * and is refused with a reason a subscriber can read.
 */
final class AddressRules {

    private record Range(byte[] prefix, int bits, String reason) {

        static Range of(String cidr, String reason) {
            int slash = cidr.indexOf('/');
            return new Range(literal(cidr.substring(0, slash)).getAddress(),
                    Integer.parseInt(cidr.substring(slash + 1)), reason);
        }

        boolean contains(byte[] address) {
            if (address.length != prefix.length) {
                return false;
            }
            int wholeBytes = bits / 8;
            for (int i = 0; i < wholeBytes; i++) {
                if (address[i] != prefix[i]) {
                    return false;
                }
            }
            int restBits = bits % 8;
            if (restBits == 0) {
                return true;
            }
            int mask = (0xFF << (8 - restBits)) & 0xFF;
            return (address[wholeBytes] & mask) == (prefix[wholeBytes] & mask);
        }
    }

    private static final String LOOPBACK = "a loopback address (this machine)";

    private static final List<Range> LOOPBACK_RANGES = List.of(
            Range.of("127.0.0.0/8", LOOPBACK),
            Range.of("::1/128", LOOPBACK));

    private static final List<Range> REFUSED = List.of(
            Range.of("0.0.0.0/8", "an address of 0.0.0.0/8 (\"this network\", never a destination)"),
            Range.of("10.0.0.0/8", "a private network address (RFC 1918)"),
            Range.of("172.16.0.0/12", "a private network address (RFC 1918)"),
            Range.of("192.168.0.0/16", "a private network address (RFC 1918)"),
            Range.of("100.64.0.0/10", "a carrier-grade NAT address (RFC 6598)"),
            Range.of("169.254.0.0/16", "a link-local address (this includes the cloud metadata service 169.254.169.254)"),
            Range.of("224.0.0.0/4", "a multicast address"),
            Range.of("240.0.0.0/4", "a reserved or broadcast address"),
            Range.of("::/128", "the unspecified address"),
            Range.of("fc00::/7", "a private network address (unique local, RFC 4193)"),
            Range.of("fe80::/10", "a link-local address"),
            Range.of("fec0::/10", "a site-local address (deprecated, private)"),
            Range.of("ff00::/8", "a multicast address"));

    /**
     * ::ffff:a.b.c.d reaches the IPv4 address a.b.c.d. Spelled out in bytes: the JDK parses this
     * text straight into an IPv4 address.
     */
    private static final Range IPV4_MAPPED = new Range(
            new byte[] {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, 0, 0, 0, 0}, 96, "");
    /** The NAT64 well-known prefix: a gateway translates 64:ff9b::a.b.c.d to a.b.c.d. */
    private static final Range NAT64 = Range.of("64:ff9b::/96", "");
    /** ::a.b.c.d, deprecated since RFC 4291; nobody legitimate publishes one. */
    private static final Range IPV4_COMPATIBLE = Range.of("::/96", "");

    private AddressRules() {
    }

    /**
     * What kind of address this is when a connection to it is refused ("a private network address
     * (RFC 1918)"), or empty when it is allowed.
     *
     * @param loopbackAllowed true in development mode only
     */
    static Optional<String> refusal(InetAddress address, boolean loopbackAllowed) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address) {
            // An IPv6 form that carries an IPv4 address is judged as that IPv4 address, so that
            // ::ffff:169.254.169.254 is no way around the link-local rule. Loopback through NAT64
            // would be the gateway's own loopback, never this machine's: refused even in development.
            boolean mapped = IPV4_MAPPED.contains(bytes);
            if (mapped || NAT64.contains(bytes)) {
                return refusal(ipv4(Arrays.copyOfRange(bytes, 12, 16)), loopbackAllowed && mapped)
                        .map(kind -> "an IPv6 form of " + kind);
            }
            if (IPV4_COMPATIBLE.contains(bytes) && !isLoopbackOrUnspecified(bytes)) {
                return Optional.of("a deprecated IPv4-compatible IPv6 address");
            }
        }
        if (LOOPBACK_RANGES.stream().anyMatch(range -> range.contains(bytes))) {
            return loopbackAllowed ? Optional.empty() : Optional.of(LOOPBACK);
        }
        return REFUSED.stream().filter(range -> range.contains(bytes)).findFirst().map(Range::reason);
    }

    static boolean isLoopback(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet6Address && IPV4_MAPPED.contains(bytes)) {
            return isLoopback(ipv4(Arrays.copyOfRange(bytes, 12, 16)));
        }
        return LOOPBACK_RANGES.stream().anyMatch(range -> range.contains(bytes));
    }

    /**
     * The address an IP literal stands for, parsed without any name lookup. Only the plain forms
     * are literals here (dotted quad, or IPv6 with or without brackets): {@code 2130706433} or
     * {@code 0x7f.1} are refused before this, not guessed at.
     *
     * @throws IllegalArgumentException when the text is not such a literal
     */
    static InetAddress literal(String text) {
        String bare = text.startsWith("[") && text.endsWith("]") ? text.substring(1, text.length() - 1) : text;
        if (bare.indexOf(':') >= 0) {
            if (bare.indexOf('%') >= 0) {
                // A zone id names a local interface; resolving it would consult this machine.
                throw new IllegalArgumentException("an IPv6 address with a zone id is not accepted: " + text);
            }
            try {
                // Contains a colon, so the JDK parses it and never asks DNS.
                return InetAddress.getByName(bare);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("not an IPv6 address: " + text, e);
            }
        }
        if (!isDottedQuad(bare)) {
            throw new IllegalArgumentException("not an IPv4 address: " + text);
        }
        String[] parts = bare.split("\\.");
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            bytes[i] = (byte) Integer.parseInt(parts[i]);
        }
        return ipv4(bytes);
    }

    /** Four decimal numbers 0-255 without leading zeros: the one IPv4 form everybody reads alike. */
    static boolean isDottedQuad(String text) {
        return text.matches("((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])");
    }

    /**
     * Whether the text is a number-only host in a form other than the dotted quad:
     * {@code 2130706433}, {@code 0x7f000001}, {@code 0177.0.0.1}, {@code 127.1}. Resolvers disagree on
     * what these mean, so they are refused rather than interpreted.
     */
    static boolean isAmbiguousNumericHost(String host) {
        return host.matches("(?i)(0x[0-9a-f]*|[0-9]+)(\\.(0x[0-9a-f]*|[0-9]+))*\\.?") && !isDottedQuad(host);
    }

    static boolean isLiteral(String host) {
        return host.indexOf(':') >= 0 || host.startsWith("[") || isDottedQuad(host);
    }

    private static boolean isLoopbackOrUnspecified(byte[] bytes) {
        for (int i = 0; i < 15; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return bytes[15] == 0 || bytes[15] == 1;
    }

    private static InetAddress ipv4(byte[] bytes) {
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException("four bytes are always an IPv4 address", e);
        }
    }

    /** The address as it would be written in a URL: IPv6 in brackets. */
    static String describe(InetAddress address) {
        String text = address.getHostAddress();
        return address instanceof Inet4Address ? text : "[" + text + "]";
    }
}
