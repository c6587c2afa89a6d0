package dev.redirectguard.agent;

import dev.redirectguard.config.Mode;
import dev.redirectguard.config.Settings;
import dev.redirectguard.rules.BodyKind;
import dev.redirectguard.rules.Headers;
import dev.redirectguard.rules.Hop;
import dev.redirectguard.rules.NextRequest;
import dev.redirectguard.rules.RedirectRules;
import dev.redirectguard.rules.Target;
import dev.redirectguard.rules.Violation;

import java.net.HttpURLConnection;
import java.net.URL;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Adapts sun.net.www.protocol.http.HttpURLConnection's redirect steps to the rules. One hop runs
 * on one thread: {@link #hop} decides, {@link #switchToGet} and {@link #followed} apply the
 * decision, which travels between them in a thread local.
 */
final class HucHops {
    static final String CLIENT = "HttpURLConnection";

    /** The enforce decision for the hop in progress on this thread. */
    private static final class Pending {
        final Hop hop;
        final NextRequest expected;
        final Settings settings;

        Pending(Hop hop, NextRequest expected, Settings settings) {
            this.hop = hop;
            this.expected = expected;
            this.settings = settings;
        }

        boolean switchesToGet() {
            return !expected.method().equals(hop.method());
        }
    }

    private final GuardState state;
    private final Reporter reporter;
    private final ThreadLocal<Pending> pending = new ThreadLocal<Pending>();

    HucHops(GuardState state, Reporter reporter) {
        this.state = state;
        this.reporter = reporter;
    }

    /** The JDK stops at 307: a 308 never reaches followRedirect0. Decide here whether it should. */
    int followCeiling(Object connection, boolean streaming) throws Exception {
        Settings settings = state.settings();
        if (settings.mode() == Mode.OFF) {
            return 307;
        }
        HttpURLConnection c = (HttpURLConnection) connection;
        String location = c.getHeaderField("Location");
        if (location == null) {
            return 307;
        }
        URL target = new URL(c.getURL(), location);
        if (!c.getURL().getProtocol().equalsIgnoreCase(target.getProtocol())) {
            return 307; // followRedirect refuses any scheme change by itself, 308 or not
        }
        BodyKind body = streaming ? BodyKind.STREAMED : c.getDoOutput() ? BodyKind.BUFFERED : BodyKind.NONE;
        Hop hop = new Hop(308, c.getRequestMethod(), body, Target.of(c.getURL()), Target.of(target),
                Collections.<String>emptyList());
        if (settings.mode() == Mode.ENFORCE) {
            // Follow 308 exactly like 307: followRedirect0 takes it from here and reports the hop,
            // a streamed body included (HttpRetryException, as for 307).
            return 308;
        }
        NextRequest expected = RedirectRules.expected(hop, settings.policy());
        NextRequest jdk = NextRequest.returned();
        List<Violation> violations = RedirectRules.violations(hop, jdk, settings.policy());
        reporter.report(CLIENT, settings, hop, jdk, expected, violations, Reporter.OBSERVED, null);
        return 307;
    }

    /** @return true to let the JDK throw HttpRetryException for a streamed body */
    boolean hop(boolean streaming, Object connection, int status, URL target, boolean buffered,
                String[] callerHeaderNames) {
        pending.remove();
        Settings settings = state.settings();
        if (settings.mode() == Mode.OFF || !RedirectRules.isRedirect(status)) {
            return streaming;
        }
        HttpURLConnection c = (HttpURLConnection) connection;
        BodyKind body = streaming ? BodyKind.STREAMED : buffered ? BodyKind.BUFFERED : BodyKind.NONE;
        Hop hop = new Hop(status, c.getRequestMethod(), body, Target.of(c.getURL()), Target.of(target),
                Arrays.asList(callerHeaderNames));
        NextRequest jdk = jdkNextRequest(hop);
        NextRequest expected = RedirectRules.expected(hop, settings.policy());
        List<Violation> violations = RedirectRules.violations(hop, jdk, settings.policy());
        if (settings.mode() == Mode.AUDIT) {
            reporter.report(CLIENT, settings, hop, jdk, expected, violations, Reporter.OBSERVED, null);
            return streaming;
        }
        if (!expected.follows()) {
            // Rule 7: the streamed body is gone; the JDK's own HttpRetryException stays.
            reporter.report(CLIENT, settings, hop, jdk, expected, violations, Reporter.REFUSED, null);
            return streaming;
        }
        pending.set(new Pending(hop, expected, settings));
        reporter.report(CLIENT, settings, hop, jdk, expected, violations, Reporter.CORRECTED, null);
        return false;
    }

    /**
     * What the unpatched HttpURLConnection does (checked against its bytecode in 8 to 25): 308
     * goes back to the caller; a streamed body throws; POST (unless http.strictPostRedirect, and not on 307) becomes a GET
     * with a fresh header set; anything else keeps method, body and headers, less Authorization
     * and Cookie on another host.
     */
    static NextRequest jdkNextRequest(Hop hop) {
        if (hop.status() == 308) {
            return NextRequest.returned();
        }
        if (hop.body() == BodyKind.STREAMED) {
            return NextRequest.retryException();
        }
        boolean switches = "POST".equals(hop.method()) && !Boolean.getBoolean("http.strictPostRedirect")
                && hop.status() != 307;
        if (switches) {
            return NextRequest.follow("GET", false, false, Collections.<String>emptyList());
        }
        List<String> headers = new ArrayList<String>(hop.callerHeaders());
        if (!hop.sameOrigin()) {
            headers.removeAll(Arrays.asList("authorization", "cookie", "cookie2"));
        }
        boolean body = hop.body() != BodyKind.NONE;
        return NextRequest.follow(hop.method(), body, body, headers);
    }

    boolean switchToGet(String method, int status) {
        Pending p = pending.get();
        return p == null ? method.equals("POST") : p.switchesToGet();
    }

    boolean strictPostRedirect(String property) {
        return pending.get() == null && Boolean.getBoolean(property);
    }

    /** Header fix-ups once the JDK has built the next request (see {@code Hooks.hucFollowed}). */
    String[] followed(String[] callerHeaders) {
        Pending p = pending.get();
        pending.remove();
        if (p == null) {
            return null;
        }
        List<String> ops = new ArrayList<String>();
        boolean sameOrigin = p.hop.sameOrigin();
        if (p.switchesToGet()) {
            // The JDK started the GET from an empty header set: give the caller's headers back.
            ops.add(null);
            for (int i = 0; i + 1 < callerHeaders.length; i += 2) {
                String name = callerHeaders[i];
                if (!Headers.isBodyHeader(name) && (sameOrigin || !p.settings.policy().strips(name))) {
                    ops.add(name);
                    ops.add(callerHeaders[i + 1]);
                }
            }
        } else if (!sameOrigin) {
            // The JDK drops Authorization and Cookie itself; the strip list may name more.
            for (String name : p.settings.policy().stripOnCrossOrigin()) {
                ops.add(name.toLowerCase(Locale.ROOT));
            }
            ops.add(null);
        } else {
            return null;
        }
        return ops.toArray(new String[0]);
    }
}
