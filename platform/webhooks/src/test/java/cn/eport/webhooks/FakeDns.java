package cn.eport.webhooks;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Stands in for DNS, the one thing tests cannot make real here: answers what it was told, records
 * what it was asked, and can change its answer (DNS rebinding).
 */
final class FakeDns implements EndpointPolicy.NameResolver {

    private final Map<String, List<InetAddress>> answers = new ConcurrentHashMap<>();
    private final List<String> asked = new ArrayList<>();

    FakeDns answer(String host, InetAddress... addresses) {
        answers.put(host, List.of(addresses));
        return this;
    }

    @Override
    public synchronized List<InetAddress> resolve(String host) throws UnknownHostException {
        asked.add(host);
        List<InetAddress> addresses = answers.get(host);
        if (addresses == null) {
            throw new UnknownHostException(host);
        }
        return addresses;
    }

    synchronized List<String> asked() {
        return List.copyOf(asked);
    }

    /** An IP literal parsed by the JDK, which asks no DNS for a literal. */
    static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(literal, e);
        }
    }

    /**
     * ::ffff:a.b.c.d kept as an IPv6 address: the JDK turns the text form into plain IPv4, but a
     * resolver may well hand over the IPv6 form.
     */
    static InetAddress ipv4MappedIpv6(String ipv4) {
        byte[] v4 = ip(ipv4).getAddress();
        byte[] v6 = new byte[16];
        v6[10] = (byte) 0xFF;
        v6[11] = (byte) 0xFF;
        System.arraycopy(v4, 0, v6, 12, 4);
        try {
            return Inet6Address.getByAddress(null, v6, -1);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
