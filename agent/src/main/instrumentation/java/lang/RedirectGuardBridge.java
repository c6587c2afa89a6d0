package java.lang;

import java.net.URI;
import java.net.URL;
import java.util.List;
import java.util.Map;

/**
 * The one redirect-guard class that lives inside java.base, defined there at run time, so that the
 * rewritten JDK classes (boot and platform loaders) can reach it. It names JDK types only and
 * holds no logic: each hook asks the installed {@link Hooks} and, when there are none or they
 * fail, answers exactly what the unpatched JDK would have done. Nothing here may throw.
 *
 * <p>Compiled against the JDK's own classes (class file 52, not {@code --release 8}), because it
 * calls sun.net.www.MessageHeader directly: same module, no reflection, which on JDK 18+ would
 * start the method-handle machinery on the first redirect.
 */
public final class RedirectGuardBridge {

    /** The agent's side; every method may assume it is called on the thread doing the hop. */
    public interface Hooks {
        /** HttpURLConnection.followRedirect: the highest status it follows (307 = JDK, 308 = follow 308). */
        int hucFollowCeiling(Object connection, boolean streaming);

        /** HttpURLConnection.followRedirect0, first step: true makes the JDK throw HttpRetryException. */
        boolean hucHop(boolean streaming, Object connection, int status, URL target, boolean buffered,
                       String[] callerHeaderNames);

        /** Whether the hop switches to GET (replaces the JDK's {@code method.equals("POST")}). */
        boolean hucSwitchToGet(String method, int status);

        /** Replaces {@code Boolean.getBoolean("http.strictPostRedirect")}. */
        boolean hucStrictPostRedirect(String property);

        /**
         * The hop is followed. {@code callerHeaders} alternates name and value. Returns header
         * names to remove from the next request, then null, then name/value pairs to add; or null.
         */
        String[] hucFollowed(String[] callerHeaders);

        /** java.net.http MultiExchange created, on the caller's thread. */
        void hcExchangeStarted(Object request);

        String hcRedirectedMethod(String jdkMethod, int status, String method);

        /** {@code request}: the request of the hop where the JDK's filter keeps it (11, 17, 25), else null. */
        boolean hcCanRedirect(boolean jdkAnswer, URI from, URI to, Object request);

        /** Returns the HttpHeaders the redirected request carries (the JDK's unless enforcing). */
        Object hcRedirectHeaders(Object request, Object previousRequest, Object headers, Object previousHeaders, Object publisher,
                                 Object previousPublisher, URI from, URI to, String previousMethod, String method);

        /** Returns the body publisher the redirected request carries. */
        Object hcRedirectPublisher(Object publisher);
    }

    private static volatile Hooks hooks;
    private static volatile long suppressed;
    private static volatile Throwable firstSuppressed;

    private RedirectGuardBridge() {
    }

    public static void install(Hooks h) {
        hooks = h;
    }

    /** Throwables the hooks raised and the bridge swallowed; the first one, for diagnosis. */
    public static long suppressedCount() {
        return suppressed;
    }

    public static Throwable firstSuppressed() {
        return firstSuppressed;
    }

    private static void suppress(Throwable t) {
        if (firstSuppressed == null) {
            firstSuppressed = t;
        }
        suppressed++;
    }

    // ---- sun.net.www.protocol.http.HttpURLConnection ----

    /** Called for every response of 300 or more; anything but 308 costs one comparison. */
    public static int hucFollowCeiling(int status, Object connection) {
        Hooks h = hooks;
        if (status != 308 || h == null) {
            return 307;
        }
        try {
            return h.hucFollowCeiling(connection,
                    ((sun.net.www.protocol.http.HttpURLConnection) connection).streaming());
        } catch (Throwable t) {
            suppress(t);
            return 307;
        }
    }

    public static boolean hucHop(boolean streaming, Object connection, int status, URL target, Object poster,
                                 Object userHeaders) {
        Hooks h = hooks;
        if (h == null) {
            return streaming;
        }
        try {
            String[] pairs = headerPairs(userHeaders);
            String[] names = new String[pairs.length / 2];
            for (int i = 0; i < names.length; i++) {
                names[i] = pairs[2 * i];
            }
            return h.hucHop(streaming, connection, status, target, poster != null, names);
        } catch (Throwable t) {
            suppress(t);
            return streaming;
        }
    }

    public static boolean hucSwitchToGet(String method, int status) {
        Hooks h = hooks;
        if (h != null) {
            try {
                return h.hucSwitchToGet(method, status);
            } catch (Throwable t) {
                suppress(t);
            }
        }
        return method.equals("POST");
    }

    public static boolean hucStrictPostRedirect(String property) {
        Hooks h = hooks;
        if (h != null) {
            try {
                return h.hucStrictPostRedirect(property);
            } catch (Throwable t) {
                suppress(t);
            }
        }
        return Boolean.getBoolean(property);
    }

    public static void hucFollowed(Object requests, Object userHeaders) {
        Hooks h = hooks;
        if (h == null) {
            return;
        }
        try {
            String[] ops = h.hucFollowed(headerPairs(userHeaders));
            if (ops == null) {
                return;
            }
            sun.net.www.MessageHeader next = (sun.net.www.MessageHeader) requests;
            int i = 0;
            for (; i < ops.length && ops[i] != null; i++) {
                next.remove(ops[i]);
            }
            for (i++; i + 1 < ops.length; i += 2) {
                next.add(ops[i], ops[i + 1]);
            }
        } catch (Throwable t) {
            suppress(t);
        }
    }

    /** sun.net.www.MessageHeader as name/value pairs. */
    private static String[] headerPairs(Object messageHeader) {
        Map<String, List<String>> map = ((sun.net.www.MessageHeader) messageHeader).getHeaders();
        int n = 0;
        for (Map.Entry<String, List<String>> e : map.entrySet()) {
            if (e.getKey() != null && e.getValue() != null) {
                n += e.getValue().size();
            }
        }
        String[] pairs = new String[2 * n];
        int i = 0;
        for (Map.Entry<String, List<String>> e : map.entrySet()) {
            if (e.getKey() == null || e.getValue() == null) {
                continue;
            }
            for (String v : e.getValue()) {
                pairs[i++] = e.getKey();
                pairs[i++] = v;
            }
        }
        return pairs;
    }

    // ---- java.net.http (jdk.internal.net.http) ----

    public static void hcExchangeStarted(Object request) {
        Hooks h = hooks;
        if (h == null) {
            return;
        }
        try {
            h.hcExchangeStarted(request);
        } catch (Throwable t) {
            suppress(t);
        }
    }

    public static String hcRedirectedMethod(String jdkMethod, int status, String method) {
        Hooks h = hooks;
        if (h == null) {
            return jdkMethod;
        }
        try {
            String m = h.hcRedirectedMethod(jdkMethod, status, method);
            return m != null ? m : jdkMethod;
        } catch (Throwable t) {
            suppress(t);
            return jdkMethod;
        }
    }

    public static boolean hcCanRedirect(boolean jdkAnswer, URI from, URI to, Object request) {
        Hooks h = hooks;
        if (h == null) {
            return jdkAnswer;
        }
        try {
            return h.hcCanRedirect(jdkAnswer, from, to, request);
        } catch (Throwable t) {
            suppress(t);
            return jdkAnswer;
        }
    }

    public static Object hcRedirectHeaders(Object request, Object previousRequest, Object headers, Object previousHeaders, Object publisher,
                                           Object previousPublisher, URI from, URI to, String previousMethod,
                                           String method) {
        Hooks h = hooks;
        if (h == null) {
            return headers;
        }
        try {
            Object r = h.hcRedirectHeaders(request, previousRequest, headers, previousHeaders, publisher, previousPublisher, from, to,
                    previousMethod, method);
            return r != null ? r : headers;
        } catch (Throwable t) {
            suppress(t);
            return headers;
        }
    }

    public static Object hcRedirectPublisher(Object publisher) {
        Hooks h = hooks;
        if (h == null) {
            return publisher;
        }
        try {
            return h.hcRedirectPublisher(publisher);
        } catch (Throwable t) {
            suppress(t);
            return publisher;
        }
    }
}
