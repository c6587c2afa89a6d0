package java.lang;

import java.net.URI;
import java.net.URL;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The one redirect-guard class that lives inside java.base, defined there at run time, so that the
 * rewritten JDK classes (boot and platform loaders) can reach it. It names JDK types only.
 *
 * <p>A capability, not an API: the agent installs its {@link Hooks} once, through a lookup that
 * only the agent's own injector holds (JDK 9+: java.lang is opened to that one throwaway loader;
 * JDK 8: reflection, which a SecurityManager denies to application code); there is no public
 * way to install, replace, read or remove them. The public methods are the entry points the
 * rewritten JDK code calls; they hand header values to the installed hooks only.
 *
 * <p>A hop's decision lives with the hop: the first hook of a hop returns its plan, which is kept
 * against the hop's own object (the connection, or the request being redirected) until the JDK
 * method that encloses the hop exits, on every path; later steps of the hop only apply it. When
 * there are no hooks, or a hook fails, each step answers exactly what the unpatched JDK would
 * have done, so a failed decision leaves the whole hop the JDK's own. Nothing here may throw.
 */
public final class RedirectGuardBridge {

    /** The agent's side. Every method runs on the thread doing the hop. */
    public interface Hooks {
        /**
         * HttpURLConnection.followRedirect met a 308: true to follow it exactly like a 307.
         * {@code lastHop}: the JDK's redirect limit ends the call after this hop, before any request.
         */
        boolean hucFollow308(Object connection, boolean streaming, boolean lastHop);

        /**
         * HttpURLConnection.followRedirect0, its first step: decide the whole hop. {@code callerHeaders}
         * alternates name and value: the caller's headers that the request which got the 3xx carried,
         * and its body headers. Returns null to leave the hop to the JDK.
         */
        HucPlan hucHop(Object connection, int status, URL target, boolean streaming, boolean buffered,
                       String[] callerHeaders);

        /** java.net.http: a blocking send of {@code request} starts, on its thread (before its exchange exists). */
        void hcSendStart(Object request);

        /** java.net.http: that blocking send ends, returning or throwing, on its thread. */
        void hcSendEnd(Object request);

        /** java.net.http: a request was sent (MultiExchange created; the caller's request), on the sending thread. */
        void hcSent(Object exchange, Object client, Object request);

        /**
         * RedirectFilter.handleResponse chose the JDK's method for a 3xx: the hop's record (kept
         * against {@code previous}, the request being redirected), or null for none.
         */
        Object hcHop(int status, String method, String jdkMethod, URI target, Object previous, Object exchange);

        /** RedirectFilter.canRedirect answered true for this hop: true to refuse it after all. */
        boolean hcRefuse(Object hop);

        /**
         * The redirected request was built: its method, user headers and body publisher as the
         * hop sends them ({@code null}: the JDK's, unchanged).
         */
        Object[] hcNext(Object hop, Object previous, String jdkMethod, Object jdkHeaders, Object jdkPublisher);
    }

    /** An HttpURLConnection hop, decided once; the steps of followRedirect0 apply it. */
    public static final class HucPlan {
        final boolean throwRetry;
        final boolean switchToGet;
        final boolean resetStreaming;
        final String[] removeCallerValues;
        final String[] add;

        /**
         * @param throwRetry whether a streamed body still throws HttpRetryException
         * @param switchToGet whether the hop becomes a bodiless GET (the JDK's POST branch)
         * @param resetStreaming whether that GET drops the streaming lengths of the body it no longer sends
         * @param removeCallerValues name/value pairs: a header of the next request is removed when it
         *     still carries exactly the caller's value (the JDK's own credentials for the target stay)
         * @param add name/value pairs added to the next request
         */
        public HucPlan(boolean throwRetry, boolean switchToGet, boolean resetStreaming, String[] removeCallerValues,
                       String[] add) {
            this.throwRetry = throwRetry;
            this.switchToGet = switchToGet;
            this.resetStreaming = resetStreaming;
            this.removeCallerValues = removeCallerValues == null ? new String[0] : removeCallerValues.clone();
            this.add = add == null ? new String[0] : add.clone();
        }
    }

    /** Identity of a hop's own object (JDK requests define equals() by content). */
    private static final class Owner {
        private final Object object;

        Owner(Object object) {
            this.object = object;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(object);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Owner && ((Owner) o).object == object;
        }
    }

    /** Handed to {@link Installed} by {@link #install}, and cleared at once. */
    private static Hooks pending;
    private static boolean installed;

    /**
     * The installed hooks, in a static final field: once set, reflection cannot replace them
     * (Field.set refuses a static final field even where deep reflection into java.lang is allowed:
     * JDK 8, 11 with --illegal-access=permit). Initialised by {@link #install} and nothing earlier:
     * no rewritten JDK class exists before the hooks are installed.
     */
    private static final class Installed {
        static final Hooks HOOKS = take();
    }
    /** Decisions of the hops in progress, by the hop's own object; removed as each hop's JDK method exits. */
    private static final ConcurrentHashMap<Owner, Object> HOPS = new ConcurrentHashMap<Owner, Object>();
    /** Kept against a connection whose hop the JDK's redirect limit ends before any request goes out. */
    private static final Object LAST_HOP = new Object();
    private static final java.util.concurrent.atomic.AtomicLong SUPPRESSED = new java.util.concurrent.atomic.AtomicLong();

    private RedirectGuardBridge() {
    }

    /** Reached only through the agent's injector (see the class comment). Once, and never null. */
    private static synchronized boolean install(Hooks h) {
        if (h == null || installed) {
            return false;
        }
        installed = true;
        pending = h;
        return Installed.HOOKS == h;
    }

    private static synchronized Hooks take() {
        Hooks h = pending;
        pending = null;
        return h;
    }

    /** Throwables the hooks raised and the bridge swallowed (each hop then the JDK's own); expect 0. */
    public static long suppressedCount() {
        return SUPPRESSED.get();
    }

    private static void suppress(String where, Throwable t) {
        if (SUPPRESSED.getAndIncrement() == 0) {
            try {
                System.err.println("redirect-guard: a hook failed in " + where + "; that hop is the JDK's own,"
                        + " and so is any later hop whose hook fails (SuppressedErrors counts them): " + t);
            } catch (Throwable ignored) {
                // nothing left to tell it with
            }
        }
    }

    private static Object hop(Object owner) {
        return owner == null || HOPS.isEmpty() ? null : HOPS.get(new Owner(owner));
    }

    // ---- sun.net.www.protocol.http.HttpURLConnection ----

    /**
     * getInputStream0, before each followRedirect(): the JDK counts redirects in a local and throws
     * ProtocolException once followRedirect() has set up one hop too many; that hop sends nothing.
     */
    public static void hucRedirects(int redirects, int maxRedirects, Object connection) {
        if (redirects + 1 >= maxRedirects && Installed.HOOKS != null) {
            HOPS.put(new Owner(connection), LAST_HOP);
        }
    }

    /**
     * followRedirect: {@code stat > 307} returns the 3xx to the caller; this replaces the 307.
     * Anything but a 308 costs one comparison.
     */
    public static int hucFollowCeiling(int status, Object connection) {
        Hooks h = Installed.HOOKS;
        if (status != 308 || h == null) {
            return 307;
        }
        try {
            return h.hucFollow308(connection, ((sun.net.www.protocol.http.HttpURLConnection) connection).streaming(),
                    hop(connection) == LAST_HOP) ? 308 : 307;
        } catch (Throwable t) {
            suppress("HttpURLConnection.followRedirect", t);
            return 307;
        }
    }

    /** followRedirect0, after {@code streaming()}: decides the hop; true makes the JDK throw HttpRetryException. */
    public static boolean hucHop(boolean streaming, Object connection, int status, URL target, Object poster,
                                 Object userHeaders, Object requests) {
        Hooks h = Installed.HOOKS;
        if (h == null || hop(connection) == LAST_HOP) {
            return streaming; // the JDK's limit ends the call after this hop: nothing goes out to judge
        }
        try {
            HucPlan plan = h.hucHop(connection, status, target, streaming, poster != null,
                    callerHeaders(userHeaders, requests));
            if (plan == null) {
                return streaming;
            }
            HOPS.put(new Owner(connection), plan);
            return plan.throwRetry;
        } catch (Throwable t) {
            suppress("HttpURLConnection.followRedirect0", t);
            return streaming;
        }
    }

    /**
     * The caller's request properties that the request which got the 3xx carried (a header the JDK
     * stripped or replaced on an earlier hop, or for a 401 retry, is not the caller's any more), and
     * that request's body headers (Content-Type, which the JDK keeps out of the request properties),
     * as name/value pairs.
     */
    private static String[] callerHeaders(Object userHeaders, Object requests) {
        sun.net.www.MessageHeader sent = (sun.net.www.MessageHeader) requests;
        String[] own = headerPairs(userHeaders);
        java.util.ArrayList<String> pairs = new java.util.ArrayList<String>(own.length + 4);
        for (int i = 0; i + 1 < own.length; i += 2) {
            String value = sent.findValue(own[i]);
            // contains: a CookieHandler merges the caller's Cookie with its own into one value
            if (value != null && value.contains(own[i + 1])) {
                pairs.add(own[i]);
                pairs.add(own[i + 1]);
            }
        }
        String[] all = headerPairs(requests);
        for (int i = 0; i + 1 < all.length; i += 2) {
            if (all[i].regionMatches(true, 0, "Content-", 0, 8)) {
                pairs.add(all[i]);
                pairs.add(all[i + 1]);
            }
        }
        return pairs.toArray(new String[0]);
    }

    /** Replaces {@code method.equals("POST")}: whether the hop takes the JDK's switch to GET. */
    public static boolean hucSwitchToGet(String method, int status, Object connection) {
        Object plan = hop(connection);
        if (plan instanceof HucPlan) {
            return ((HucPlan) plan).switchToGet;
        }
        // Without a plan a 308 is here only because the rules followed it at the gate: like a 307.
        return status != 308 && method.equals("POST");
    }

    /** Replaces {@code Boolean.getBoolean("http.strictPostRedirect")}; a plan has decided the switch already. */
    public static boolean hucStrictPostRedirect(String property, Object connection) {
        return !(hop(connection) instanceof HucPlan) && Boolean.getBoolean(property);
    }

    /** After the switch to GET: a streaming length the bodiless GET must not announce, or the JDK's value. */
    public static int hucStreamingLength(int value, Object connection) {
        Object plan = hop(connection);
        return plan instanceof HucPlan && ((HucPlan) plan).resetStreaming ? -1 : value;
    }

    public static long hucStreamingLengthLong(long value, Object connection) {
        Object plan = hop(connection);
        return plan instanceof HucPlan && ((HucPlan) plan).resetStreaming ? -1L : value;
    }

    /** Before followRedirect0 returns true: the plan's header changes to the next request. */
    public static void hucFollowed(Object requests, Object userHeaders, Object connection) {
        Object found = hop(connection);
        if (!(found instanceof HucPlan)) {
            return;
        }
        HucPlan plan = (HucPlan) found;
        try {
            sun.net.www.MessageHeader next = (sun.net.www.MessageHeader) requests;
            for (int i = 0; i + 1 < plan.removeCallerValues.length; i += 2) {
                String value = next.findValue(plan.removeCallerValues[i]);
                if (value != null && value.equals(plan.removeCallerValues[i + 1])) {
                    next.remove(plan.removeCallerValues[i]);
                }
            }
            for (int i = 0; i + 1 < plan.add.length; i += 2) {
                next.add(plan.add[i], plan.add[i + 1]);
            }
        } catch (Throwable t) {
            suppress("HttpURLConnection.followRedirect0 (headers)", t);
        }
    }

    /** followRedirect exits, returning or throwing: the hop is over. */
    public static void hucHopEnd(Object connection) {
        if (!HOPS.isEmpty()) {
            HOPS.remove(new Owner(connection));
        }
    }

    /**
     * sun.net.www.MessageHeader as name/value pairs, in its order, entries without a name or a value
     * left out. Read entry by entry: getHeaders() builds a map of lists for every call. getKey and
     * getValue answer null past the end; an entry with neither (which HttpURLConnection never
     * stores) ends the walk too.
     */
    private static String[] headerPairs(Object messageHeader) {
        sun.net.www.MessageHeader headers = (sun.net.www.MessageHeader) messageHeader;
        java.util.ArrayList<String> pairs = new java.util.ArrayList<String>();
        for (int i = 0; ; i++) {
            String key = headers.getKey(i);
            String value = headers.getValue(i);
            if (key == null && value == null) {
                break;
            }
            if (key != null && value != null) {
                pairs.add(key);
                pairs.add(value);
            }
        }
        return pairs.toArray(new String[0]);
    }

    // ---- java.net.http (jdk.internal.net.http) ----

    /** HttpClientImpl.send starts (the blocking send): on the sending thread. */
    public static void hcSendStart(Object request) {
        Hooks h = Installed.HOOKS;
        if (h == null || request == null) {
            return;
        }
        try {
            h.hcSendStart(request);
        } catch (Throwable t) {
            suppress("HttpClient send", t);
        }
    }

    /** HttpClientImpl.send ends, returning or throwing: on the sending thread. */
    public static void hcSendEnd(Object request) {
        Hooks h = Installed.HOOKS;
        if (h == null || request == null) {
            return;
        }
        try {
            h.hcSendEnd(request);
        } catch (Throwable t) {
            suppress("HttpClient send", t);
        }
    }

    /** MultiExchange constructed: on the sending thread. */
    public static void hcSent(Object exchange, Object client, Object request) {
        Hooks h = Installed.HOOKS;
        if (h == null) {
            return;
        }
        try {
            h.hcSent(exchange, client, request);
        } catch (Throwable t) {
            suppress("HttpClient send", t);
        }
    }

    /** RedirectFilter.handleResponse, after redirectedMethod: the hop starts; returns the JDK's method. */
    public static String hcHop(int status, String method, String jdkMethod, URI target, Object previous,
                               Object exchange) {
        Hooks h = Installed.HOOKS;
        if (h == null || previous == null) {
            return jdkMethod;
        }
        try {
            Object hop = h.hcHop(status, method, jdkMethod, target, previous, exchange);
            if (hop != null) {
                HOPS.put(new Owner(previous), hop);
            }
        } catch (Throwable t) {
            suppress("HttpClient RedirectFilter", t);
        }
        return jdkMethod;
    }

    /** After canRedirect: its answer, unless the hop's decision refuses it. */
    public static boolean hcCanRedirect(boolean jdkAnswer, Object previous) {
        Hooks h = Installed.HOOKS;
        Object hop = hop(previous);
        if (!jdkAnswer || h == null || hop == null) {
            return jdkAnswer;
        }
        try {
            return !h.hcRefuse(hop);
        } catch (Throwable t) {
            suppress("HttpClient RedirectFilter.canRedirect", t);
            return jdkAnswer;
        }
    }

    /**
     * End of the HttpRequestImpl constructor that builds a redirect's request, from {@code previous}:
     * {method, user headers, body publisher} for the new request, all three or none of them changed.
     * A constructor of the same kind that is no redirect (an authentication retry) finds no hop.
     */
    public static Object[] hcRedirectRequest(Object previous, String method, Object headers, Object publisher) {
        Object[] jdk = {method, headers, publisher};
        Hooks h = Installed.HOOKS;
        Object hop = hop(previous);
        if (h == null || hop == null) {
            return jdk;
        }
        try {
            Object[] next = h.hcNext(hop, previous, method, headers, publisher);
            return next != null && next.length == 3 && next[0] instanceof String ? next : jdk;
        } catch (Throwable t) {
            suppress("HttpClient HttpRequestImpl", t);
            return jdk;
        }
    }

    /** RedirectFilter.handleResponse exits, returning or throwing: the hop is over. */
    public static void hcHopEnd(Object previous) {
        if (previous != null && !HOPS.isEmpty()) {
            HOPS.remove(new Owner(previous));
        }
    }
}
