package dev.redirectguard.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code enforceTargets} setting: which hop targets enforce applies to. Patterns separated by
 * {@code ;}:
 * <ul>
 * <li>{@code host}: that host name, any case, any port;</li>
 * <li>{@code host:port}: that host on that port only (the hop's effective port: an https URL
 *     without a port is on 443);</li>
 * <li>{@code *.example.com}: any name below example.com, at any depth (a.example.com,
 *     a.b.example.com), not example.com itself (list both for both), as TLS wildcards and cookie
 *     domains are read; {@code *.example.com:8443} on that port only;</li>
 * <li>an IPv4 literal in dotted-quad form ({@code 10.0.0.7}, {@code 10.0.0.7:8080});</li>
 * <li>an IPv6 literal, bare ({@code ::1}, any port) or in brackets ({@code [::1]},
 *     {@code [::1]:8443}); any textual form of the same address matches, and the target's zone id
 *     ({@code %eth0}) is not compared;</li>
 * <li>{@code *} alone: every target (the default). Empty: no target.</li>
 * </ul>
 * Compiled once at parse time; a hop is matched with string region compares and, for an IPv6
 * target only, a parse of its literal: no regular expression, no allocation.
 */
final class EnforceTargets {
    /** A pattern without a port: any port matches. */
    private static final int ANY_PORT = -1;
    static final EnforceTargets ALL = new EnforceTargets(true, new String[0], new int[0], new String[0], new int[0],
            new long[0], new long[0], new int[0], "*");
    static final EnforceTargets NONE = new EnforceTargets(false, new String[0], new int[0], new String[0], new int[0],
            new long[0], new long[0], new int[0], "");

    private final boolean all;
    /** Lower-case host names and IPv4 literals, matched whole. */
    private final String[] hosts;
    private final int[] hostPorts;
    /** Lower-case ".example.com" of "*.example.com": a host ending with it and longer matches. */
    private final String[] suffixes;
    private final int[] suffixPorts;
    /** IPv6 addresses as two 64-bit halves. */
    private final long[] v6High;
    private final long[] v6Low;
    private final int[] v6Ports;
    private final String text;

    private EnforceTargets(boolean all, String[] hosts, int[] hostPorts, String[] suffixes, int[] suffixPorts,
                           long[] v6High, long[] v6Low, int[] v6Ports, String text) {
        this.all = all;
        this.hosts = hosts;
        this.hostPorts = hostPorts;
        this.suffixes = suffixes;
        this.suffixPorts = suffixPorts;
        this.v6High = v6High;
        this.v6Low = v6Low;
        this.v6Ports = v6Ports;
        this.text = text;
    }

    /** @throws IllegalArgumentException with the rest of the error line ("has an invalid pattern ...") */
    static EnforceTargets parse(String value) {
        String trimmed = value.trim();
        if (trimmed.equals("*")) {
            return ALL;
        }
        if (trimmed.isEmpty()) {
            return NONE;
        }
        List<String> hosts = new ArrayList<String>();
        List<Integer> hostPorts = new ArrayList<Integer>();
        List<String> suffixes = new ArrayList<String>();
        List<Integer> suffixPorts = new ArrayList<Integer>();
        List<long[]> v6 = new ArrayList<long[]>();
        List<Integer> v6Ports = new ArrayList<Integer>();
        Set<String> seen = new LinkedHashSet<String>();
        for (String raw : trimmed.split(";", -1)) {
            String p = raw.trim().toLowerCase(Locale.ROOT);
            if (p.isEmpty()) {
                throw new IllegalArgumentException("has an empty pattern (patterns are separated by one ';')");
            }
            if (p.equals("*")) {
                throw new IllegalArgumentException("mixes '*' (every target) with other patterns");
            }
            if (!seen.add(p)) {
                continue;
            }
            for (int i = 0; i < p.length(); i++) {
                if (Character.isWhitespace(p.charAt(i))) {
                    throw invalid(raw, "a space inside");
                }
            }
            if (p.startsWith("[")) {
                int close = p.indexOf(']');
                if (close < 0) {
                    throw invalid(raw, "no closing ']'");
                }
                long[] address = ipv6(p, 1, close, raw);
                int port = ANY_PORT;
                if (close + 1 < p.length()) {
                    if (p.charAt(close + 1) != ':') {
                        throw invalid(raw, "after ']' only ':port'");
                    }
                    port = port(p.substring(close + 2), raw);
                }
                v6.add(address);
                v6Ports.add(port);
                continue;
            }
            int colon = p.indexOf(':');
            if (colon >= 0 && p.indexOf(':', colon + 1) >= 0) {
                // Two colons or more: a bare IPv6 literal, which cannot carry a port ("::1:8443" is
                // itself an address); "[::1]:8443" can.
                v6.add(ipv6(p, 0, p.length(), raw));
                v6Ports.add(ANY_PORT);
                continue;
            }
            String host = colon < 0 ? p : p.substring(0, colon);
            int port = colon < 0 ? ANY_PORT : port(p.substring(colon + 1), raw);
            if (host.startsWith("*.")) {
                String domain = host.substring(2);
                if (domain.indexOf('*') >= 0) {
                    throw invalid(raw, "a '*' only as the whole value or as a leading '*.'");
                }
                if (!isHostName(domain)) {
                    throw invalid(raw, "'*.' needs a domain name after it, like *.example.com");
                }
                suffixes.add(host.substring(1));
                suffixPorts.add(port);
            } else if (host.indexOf('*') >= 0) {
                throw invalid(raw, "a '*' only as the whole value or as a leading '*.'");
            } else if (isHostName(host) || isIpv4(host)) {
                hosts.add(host);
                hostPorts.add(port);
            } else if (lastLabelNumeric(host)) {
                throw invalid(raw, "not an IPv4 address (four numbers 0 to 255, no leading zeros)");
            } else {
                throw invalid(raw, "not a host name (letters, digits, '-', '_' in labels separated by one '.')");
            }
        }
        long[] high = new long[v6.size()];
        long[] low = new long[v6.size()];
        for (int i = 0; i < v6.size(); i++) {
            high[i] = v6.get(i)[0];
            low[i] = v6.get(i)[1];
        }
        StringBuilder text = new StringBuilder();
        for (String p : seen) {
            text.append(text.length() == 0 ? "" : ";").append(p);
        }
        return new EnforceTargets(false, hosts.toArray(new String[0]), ints(hostPorts),
                suffixes.toArray(new String[0]), ints(suffixPorts), high, low, ints(v6Ports), text.toString());
    }

    private static IllegalArgumentException invalid(String pattern, String why) {
        return new IllegalArgumentException("has an invalid pattern '" + pattern.trim() + "' (" + why + ")");
    }

    private static int[] ints(List<Integer> list) {
        int[] out = new int[list.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = list.get(i);
        }
        return out;
    }

    private static int port(String digits, String pattern) {
        boolean ok = !digits.isEmpty() && digits.length() <= 5 && digits.charAt(0) != '0';
        for (int i = 0; ok && i < digits.length(); i++) {
            ok = digits.charAt(i) >= '0' && digits.charAt(i) <= '9';
        }
        int port = ok ? Integer.parseInt(digits) : 0;
        if (port < 1 || port > 65535) {
            throw invalid(pattern, "port '" + digits + "' is not 1 to 65535");
        }
        return port;
    }

    private static long[] ipv6(String p, int from, int to, String pattern) {
        if (p.indexOf('%', from) >= 0 && p.indexOf('%', from) < to) {
            throw invalid(pattern, "a zone id is not part of a pattern");
        }
        if (ipv6Bits(p, from, to, VALID) != 1) {
            throw invalid(pattern, "not an IPv6 address");
        }
        return new long[] {ipv6Bits(p, from, to, HIGH), ipv6Bits(p, from, to, LOW)};
    }

    /** Labels of letters, digits, '-' and '_' (container and service names use it), not all-numeric last. */
    static boolean isHostName(String s) {
        if (s.isEmpty() || s.length() > 253 || lastLabelNumeric(s)) {
            return false;
        }
        int label = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '.') {
                if (label == 0) {
                    return false;
                }
                label = 0;
            } else if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-'
                    || c == '_') {
                if (++label > 63) {
                    return false;
                }
            } else {
                return false;
            }
        }
        return label > 0;
    }

    /** A name whose last label is all digits is read as an IPv4 address by URL parsers, never as a name. */
    private static boolean lastLabelNumeric(String s) {
        int dot = s.lastIndexOf('.');
        if (dot + 1 >= s.length()) {
            return false;
        }
        for (int i = dot + 1; i < s.length(); i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '9') {
                return false;
            }
        }
        return true;
    }

    static boolean isIpv4(String s) {
        return ipv4(s, 0, s.length()) >= 0;
    }

    /** The dotted quad s[from, to) as an unsigned 32-bit number, or -1. */
    private static long ipv4(String s, int from, int to) {
        long value = 0;
        int octets = 0;
        int i = from;
        while (octets < 4) {
            int start = i;
            int octet = 0;
            while (i < to && i - start < 3 && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
                octet = octet * 10 + (s.charAt(i++) - '0');
            }
            int digits = i - start;
            if (digits == 0 || octet > 255 || (digits > 1 && s.charAt(start) == '0')) {
                return -1;
            }
            value = value << 8 | octet;
            if (++octets < 4) {
                if (i >= to || s.charAt(i) != '.') {
                    return -1;
                }
                i++;
            }
        }
        return i == to ? value : -1;
    }

    private static final int HIGH = 0;
    private static final int LOW = 1;
    private static final int VALID = 2;
    /** What {@link #ipv6Bits} gives for text that is no address: 0 for VALID; the halves are then never asked. */
    private static final long NOT_AN_ADDRESS = 0;

    /**
     * The IPv6 literal s[from, to) (RFC 4291 2.2: "::" once, an IPv4 tail allowed; no brackets, no
     * zone): its high or low 64 bits, or, for VALID, 1 when it is one and 0 otherwise. Three passes
     * over a short string instead of one into an array, so that matching a hop allocates nothing.
     */
    static long ipv6Bits(String s, int from, int to, int what) {
        long headHigh = 0;
        long headLow = 0;
        long tailHigh = 0;
        long tailLow = 0;
        int head = 0;
        int tail = 0;
        boolean gap = false;
        int i = from;
        if (to - from >= 2 && s.charAt(from) == ':' && s.charAt(from + 1) == ':') {
            gap = true;
            i += 2;
        } else if (i < to && s.charAt(i) == ':') {
            return NOT_AN_ADDRESS;
        }
        while (i < to) {
            int start = i;
            int group = 0;
            while (i < to && i - start <= 4 && hex(s.charAt(i)) >= 0) {
                group = group << 4 | hex(s.charAt(i++));
            }
            if (i < to && s.charAt(i) == '.') {
                long v4 = ipv4(s, start, to);
                if (v4 < 0 || head + tail > 6) {
                    return NOT_AN_ADDRESS;
                }
                for (int g = 0; g < 2; g++) {
                    int part = (int) (g == 0 ? v4 >>> 16 : v4 & 0xffff);
                    if (gap) {
                        tailHigh = tailHigh << 16 | tailLow >>> 48;
                        tailLow = tailLow << 16 | part;
                        tail++;
                    } else {
                        headHigh = headHigh << 16 | headLow >>> 48;
                        headLow = headLow << 16 | part;
                        head++;
                    }
                }
                i = to;
                break;
            }
            if (i == start || i - start > 4 || head + tail >= 8) {
                return NOT_AN_ADDRESS;
            }
            if (gap) {
                tailHigh = tailHigh << 16 | tailLow >>> 48;
                tailLow = tailLow << 16 | group;
                tail++;
            } else {
                headHigh = headHigh << 16 | headLow >>> 48;
                headLow = headLow << 16 | group;
                head++;
            }
            if (i == to) {
                break;
            }
            if (s.charAt(i) != ':') {
                return NOT_AN_ADDRESS;
            }
            i++;
            if (i < to && s.charAt(i) == ':') {
                if (gap) {
                    return NOT_AN_ADDRESS;
                }
                gap = true;
                i++;
            } else if (i == to) {
                return NOT_AN_ADDRESS; // a single trailing ':'
            }
        }
        boolean valid = gap ? head + tail <= 7 : head == 8;
        if (what == VALID) {
            return valid ? 1 : 0;
        }
        if (!valid) {
            return 0;
        }
        // The groups before "::" move up past the zero groups it stands for.
        int shift = 16 * (8 - head);
        long high;
        long low;
        if (shift == 0) {
            high = headHigh;
            low = headLow;
        } else if (shift >= 128) {
            high = 0;
            low = 0;
        } else if (shift >= 64) {
            high = headLow << (shift - 64);
            low = 0;
        } else {
            high = headHigh << shift | headLow >>> (64 - shift);
            low = headLow << shift;
        }
        return what == HIGH ? high | tailHigh : low | tailLow;
    }

    private static int hex(char c) {
        if (c >= '0' && c <= '9') {
            return c - '0';
        }
        if (c >= 'a' && c <= 'f') {
            return c - 'a' + 10;
        }
        if (c >= 'A' && c <= 'F') {
            return c - 'A' + 10;
        }
        return -1;
    }

    boolean all() {
        return all;
    }

    /**
     * @param host the target's host as URL and URI give it (an IPv6 literal with or without
     *             brackets), any case; null matches only {@code *}
     * @param port the effective port (80 or 443 when the URL names none), or -1 when unknown:
     *             then only patterns without a port match
     */
    boolean matches(String host, int port) {
        if (all) {
            return true;
        }
        if (host == null) {
            return false;
        }
        int from = 0;
        int to = host.length();
        if (to >= 2 && host.charAt(0) == '[' && host.charAt(to - 1) == ']') {
            from = 1;
            to--;
        }
        int colon = host.indexOf(':', from);
        if (colon >= 0 && colon < to) {
            return matchesIpv6(host, from, to, port);
        }
        if (to > from && host.charAt(to - 1) == '.') {
            to--; // "example.com." is example.com
        }
        int length = to - from;
        for (int i = 0; i < hosts.length; i++) {
            String h = hosts[i];
            if (h.length() == length && host.regionMatches(true, from, h, 0, length)
                    && (hostPorts[i] == ANY_PORT || hostPorts[i] == port)) {
                return true;
            }
        }
        for (int i = 0; i < suffixes.length; i++) {
            String s = suffixes[i];
            if (length > s.length() && host.regionMatches(true, to - s.length(), s, 0, s.length())
                    && (suffixPorts[i] == ANY_PORT || suffixPorts[i] == port)) {
                return true;
            }
        }
        return false;
    }

    private boolean matchesIpv6(String host, int from, int to, int port) {
        if (v6High.length == 0) {
            return false;
        }
        int zone = host.indexOf('%', from);
        if (zone >= 0 && zone < to) {
            to = zone;
        }
        if (ipv6Bits(host, from, to, VALID) != 1) {
            return false;
        }
        long high = ipv6Bits(host, from, to, HIGH);
        long low = ipv6Bits(host, from, to, LOW);
        for (int i = 0; i < v6High.length; i++) {
            if (v6High[i] == high && v6Low[i] == low && (v6Ports[i] == ANY_PORT || v6Ports[i] == port)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EnforceTargets && ((EnforceTargets) o).text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
