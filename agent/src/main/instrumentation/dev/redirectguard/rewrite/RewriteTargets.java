package dev.redirectguard.rewrite;

/**
 * The JDK classes the agent rewrites, by internal name: the one list. Names only, so that the
 * transformer can test every class the JVM loads against it without loading Byte Buddy or any
 * rewrite: that happens at the first of these classes.
 */
public final class RewriteTargets {
    public static final String HTTP_URL_CONNECTION = "sun/net/www/protocol/http/HttpURLConnection";
    public static final String REDIRECT_FILTER = "jdk/internal/net/http/RedirectFilter";
    public static final String HTTP_REQUEST_IMPL = "jdk/internal/net/http/HttpRequestImpl";
    public static final String MULTI_EXCHANGE = "jdk/internal/net/http/MultiExchange";
    public static final String HTTP_CLIENT_IMPL = "jdk/internal/net/http/HttpClientImpl";

    private static final String[] ALL = {HTTP_URL_CONNECTION, REDIRECT_FILTER, HTTP_REQUEST_IMPL, MULTI_EXCHANGE,
        HTTP_CLIENT_IMPL};

    private RewriteTargets() {
    }

    public static boolean isTarget(String internalName) {
        for (String t : ALL) {
            if (t.equals(internalName)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The superclass of {@link #HTTP_URL_CONNECTION}, the one target in java.base: a loaded target is
     * looked for among its subclasses and the platform loader's classes (java.net.http's, JDK 11+),
     * not by every loaded class's name. A method, not a constant: premain loads this class, and must
     * not load that one.
     */
    public static Class<?> urlConnectionSuperclass() {
        return java.net.HttpURLConnection.class;
    }

    public static String[] all() {
        return ALL.clone();
    }
}
