package dev.redirectguard.rules;

import java.util.Locale;

/**
 * One end of a hop: scheme, host, port and path only. Userinfo, query and fragment are never
 * kept, so nothing secret can reach a log through a Target.
 */
public final class Target {
    private final String scheme;
    private final String host;
    private final int port;
    private final String path;

    private Target(String scheme, String host, int port, String path) {
        this.scheme = scheme.toLowerCase(Locale.ROOT);
        this.host = host.toLowerCase(Locale.ROOT);
        this.port = effectivePort(this.scheme, port);
        this.path = path == null || path.isEmpty() ? "/" : path;
    }

    /** @param port -1 for the scheme's default port */
    public static Target of(String scheme, String host, int port, String path) {
        return new Target(scheme == null ? "" : scheme, host == null ? "" : host, port, path);
    }

    public static Target of(java.net.URL url) {
        return of(url.getProtocol(), url.getHost(), url.getPort(), url.getPath());
    }

    public static Target of(java.net.URI uri) {
        return of(uri.getScheme(), uri.getHost(), uri.getPort(), uri.getRawPath());
    }

    private static int defaultPort(String scheme) {
        return "https".equals(scheme) ? 443 : "http".equals(scheme) ? 80 : -1;
    }

    public String scheme() {
        return scheme;
    }

    /** Lower case; an IPv6 literal without brackets. */
    public String host() {
        return host;
    }

    /** The effective port: the scheme's default when the URL gives none. */
    public int port() {
        return port;
    }

    /** Scheme, host and port all equal (RFC 6454 origin). */
    public boolean sameOrigin(Target other) {
        return scheme.equals(other.scheme) && host.equals(other.host) && port == other.port;
    }

    /** {@code of(a).sameOrigin(of(b))} without building either (lower-casing allocates nothing when already lower case). */
    public static boolean sameOrigin(java.net.URI a, java.net.URI b) {
        return sameOrigin(a.getScheme(), a.getHost(), a.getPort(), b.getScheme(), b.getHost(), b.getPort());
    }

    /** {@code of(a).sameOrigin(of(b))} for two URLs, without building either. */
    public static boolean sameOrigin(java.net.URL a, java.net.URL b) {
        return sameOrigin(a.getProtocol(), a.getHost(), a.getPort(), b.getProtocol(), b.getHost(), b.getPort());
    }

    private static boolean sameOrigin(String schemeA, String hostA, int portA, String schemeB, String hostB,
                                      int portB) {
        String scheme = lower(schemeA);
        return scheme.equals(lower(schemeB)) && lower(hostA).equals(lower(hostB))
                && effectivePort(scheme, portA) == effectivePort(scheme, portB);
    }

    private static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }

    private static int effectivePort(String scheme, int port) {
        return port >= 0 ? port : defaultPort(scheme);
    }

    /** Absolute URL without userinfo, query or fragment; the default port is left out. */
    @Override
    public String toString() {
        String h = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        boolean defaultPort = port == defaultPort(scheme);
        return scheme + "://" + h + (defaultPort ? "" : ":" + port) + path;
    }
}
