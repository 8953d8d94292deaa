package dev.countersign.callbacks.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Whether a callback's host may be called: every address it resolves to is a public one, or one the
 * callback's {@code addresses} name (an IP or a CIDR range). A host that resolves to the loopback, a
 * private network, link-local (cloud metadata at 169.254.169.254) or another internal address is
 * refused unless named: the URL is configured, but what its name resolves to can change.
 */
final class CallbackAddresses {

    private CallbackAddresses() {
    }

    /** Null when every address is allowed; else why not. */
    static String refusal(String host, List<String> named) {
        InetAddress[] resolved;
        try {
            resolved = InetAddress.getAllByName(host);
        } catch (UnknownHostException e) {
            return "its host " + host + " does not resolve";
        }
        for (InetAddress address : resolved) {
            if (!isPublic(address) && named.stream().noneMatch(allowed -> contains(allowed, address))) {
                return "its host " + host + " resolves to " + address.getHostAddress() + ", which is not a public address and is not "
                        + "among the callback's addresses";
            }
        }
        return null;
    }

    static boolean isPublic(InetAddress address) {
        byte[] bytes = address.getAddress();
        boolean uniqueLocal6 = bytes.length == 16 && (bytes[0] & 0xfe) == 0xfc;
        boolean sharedOrThis4 = bytes.length == 4 && ((bytes[0] & 0xff) == 0 || (bytes[0] & 0xff) == 100 && (bytes[1] & 0xc0) == 64);
        return !(address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress() || address.isAnyLocalAddress()
                || address.isMulticastAddress() || uniqueLocal6 || sharedOrThis4);
    }

    /** {@code allowed}: an address ({@code 10.0.0.5}) or a range ({@code 10.0.0.0/24}). */
    static boolean contains(String allowed, InetAddress address) {
        try {
            String[] parts = allowed.split("/", 2);
            byte[] network = InetAddress.getByName(parts[0]).getAddress();
            byte[] candidate = address.getAddress();
            if (network.length != candidate.length) {
                return false;
            }
            int bits = parts.length == 2 ? Integer.parseInt(parts[1]) : network.length * 8;
            for (int i = 0; i < network.length && bits > 0; i++, bits -= 8) {
                int mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
                if ((network[i] & mask) != (candidate[i] & mask)) {
                    return false;
                }
            }
            return true;
        } catch (UnknownHostException | NumberFormatException e) {
            return false;
        }
    }
}
