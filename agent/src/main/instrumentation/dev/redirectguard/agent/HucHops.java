package dev.redirectguard.agent;

import dev.redirectguard.config.Mode;
import dev.redirectguard.config.Settings;
import dev.redirectguard.log.CallerSampling;
import dev.redirectguard.rules.BodyKind;
import dev.redirectguard.rules.Headers;
import dev.redirectguard.rules.Hop;
import dev.redirectguard.rules.Judgement;
import dev.redirectguard.rules.NextRequest;
import dev.redirectguard.rules.RedirectRules;
import dev.redirectguard.rules.Rule;
import dev.redirectguard.rules.Target;

import java.net.HttpURLConnection;
import java.net.URL;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Adapts sun.net.www.protocol.http.HttpURLConnection's redirect steps to the rules. A hop is
 * decided once, at its first step ({@link #hop}), into a plan the bridge keeps against the
 * connection and applies at the later steps; nothing of it is kept here.
 */
final class HucHops {
    static final String CLIENT = "HttpURLConnection";
    /** What the JDK removes itself when a hop with the same method goes to another host. */
    private static final Set<String> JDK_CROSS_ORIGIN_STRIP =
            Collections.unmodifiableSet(new LinkedHashSet<String>(Arrays.asList("authorization", "cookie", "cookie2")));

    private final GuardState state;
    private final Reporter reporter;
    /** Whose callers are read in a flood of this client's violations. */
    private final CallerSampling callers = new CallerSampling();

    HucHops(GuardState state, Reporter reporter) {
        this.state = state;
        this.reporter = reporter;
    }

    /**
     * The JDK stops at 307: a 308 never reaches followRedirect0. True where the rules follow it
     * (enforce, the rule in scope); in audit the 308 returned to the caller is logged here.
     */
    boolean follow308(Object connection, boolean streaming, boolean lastHop) {
        Settings settings = state.settings();
        if (settings.mode() == Mode.OFF) {
            return false;
        }
        HttpURLConnection c = (HttpURLConnection) connection;
        if (lastHop) {
            // The JDK's redirect limit ends the call after this hop, before any request: as for the
            // 307 twin (ProtocolException) where the rules follow 308; nothing to log either way.
            dev.redirectguard.rules.RuleScope scope = Scopes.of(settings, null, Callers.here());
            return scope != null && scope.outOfScope(Rule.SAME_METHOD_307_308) == null;
        }
        String location = c.getHeaderField("Location");
        if (location == null) {
            return false; // followRedirect returns the 3xx itself, 307 or 308
        }
        URL target;
        try {
            target = new URL(c.getURL(), location);
        } catch (java.net.MalformedURLException e) {
            // The 307 twin throws the JDK's MalformedURLException from followRedirect: so must the 308,
            // when the rules follow it. Nothing goes on the wire either way: nothing to log.
            dev.redirectguard.rules.RuleScope scope = Scopes.of(settings, null, Callers.here());
            return scope != null && scope.outOfScope(Rule.SAME_METHOD_307_308) == null;
        }
        if (!c.getURL().getProtocol().equalsIgnoreCase(target.getProtocol())) {
            return false; // followRedirect refuses any scheme change by itself, 307 or 308
        }
        BodyKind body = streaming ? BodyKind.STREAMED : c.getDoOutput() ? BodyKind.BUFFERED : BodyKind.NONE;
        Hop hop = new Hop(308, c.getRequestMethod(), body, Target.of(c.getURL()), Target.of(target),
                Collections.<String>emptyList());
        // The scope needs the caller only where enforceCallers decides; a 308 the rules follow is
        // reported by hop(), which reads its caller there. Walked inline, here and below: each
        // method between HucHops and the walk would be one more frame for the JVM to fill.
        boolean byCaller = settings.decidesByCaller();
        String caller = byCaller
                ? Callers.WALKER ? WalkedFrames.HUC_WALKER.walk(WalkedFrames.FIRST) : Callers.here() : null;
        dev.redirectguard.rules.RuleScope scope = Scopes.of(settings, hop.to(), caller);
        if (scope != null && scope.outOfScope(Rule.SAME_METHOD_307_308) == null) {
            // Follow it exactly like a 307: followRedirect0 decides the rest and reports the hop (a
            // streamed body throws HttpRetryException there, as on a 307).
            return true;
        }
        NextRequest jdk = NextRequest.returned();
        List<Judgement> judgements = RedirectRules.judge(RedirectRules.violations(hop, jdk, settings.policy()), scope);
        boolean callerUnread = false;
        if (!byCaller && !judgements.isEmpty()) {
            Target to = hop.to();
            callerUnread = !callers.read(settings, to.scheme(), to.host(), to.port());
            if (!callerUnread) {
                caller = Callers.WALKER ? WalkedFrames.HUC_WALKER.walk(WalkedFrames.FIRST) : Callers.here();
            }
        }
        reporter.report(CLIENT, settings, hop, jdk, RedirectRules.expected(hop, settings.policy()), judgements, caller,
                callerUnread);
        return false;
    }

    /**
     * Decides a hop at followRedirect0's first step: logs what breaks a rule and returns the plan
     * of an enforced hop, or null to leave it to the JDK.
     *
     * @param callerHeaders the caller's request properties, alternating name and value
     */
    RedirectGuardBridge.HucPlan hop(Object connection, int status, URL target, boolean streaming, boolean buffered,
                                    String[] callerHeaders) {
        Settings settings = state.settings();
        if (settings.mode() == Mode.OFF || !RedirectRules.isRedirect(status)) {
            return null;
        }
        HttpURLConnection c = (HttpURLConnection) connection;
        if (status == 307 && !streaming && Target.sameOrigin(c.getURL(), target)) {
            // The JDK repeats such a request as it was (jdkNextRequest): a hop repeated as is breaks
            // no rule (RedirectRules.repeatedAsIs). The common compliant hop builds nothing.
            return null;
        }
        BodyKind body = streaming ? BodyKind.STREAMED : buffered ? BodyKind.BUFFERED : BodyKind.NONE;
        List<String> names = new ArrayList<String>();
        for (int i = 0; i + 1 < callerHeaders.length; i += 2) {
            names.add(callerHeaders[i]);
        }
        Hop hop = new Hop(status, c.getRequestMethod(), body, Target.of(c.getURL()), Target.of(target), names);
        boolean cookieHandler = java.net.CookieHandler.getDefault() != null;
        NextRequest jdk = jdkNextRequest(hop, cookieHandler);
        List<dev.redirectguard.rules.Violation> violations = RedirectRules.violations(hop, jdk, settings.policy());
        if (violations.isEmpty()) {
            return null;
        }
        // A caller that names collapsed lines only is read for some of a flood (CallerSampling).
        // Walked here, not through Callers.here(): two frames fewer to fill (WalkedFrames.HUC_WALKER).
        Target to = hop.to();
        boolean callerUnread = !callers.read(settings, to.scheme(), to.host(), to.port());
        String caller = callerUnread ? null
                : Callers.WALKER ? WalkedFrames.HUC_WALKER.walk(WalkedFrames.FIRST) : Callers.here();
        dev.redirectguard.rules.RuleScope scope = Scopes.of(settings, hop.to(), caller);
        if (status == 308) {
            // Only here because the gate followed it under the rules: that decision holds for this
            // hop whatever the settings are now.
            scope = Scopes.alsoEnforcing(scope, Rule.SAME_METHOD_307_308);
        }
        List<Judgement> judgements = RedirectRules.judge(violations, scope);
        reporter.report(CLIENT, settings, hop, jdk, RedirectRules.expected(hop, settings.policy()), judgements, caller,
                callerUnread);
        Set<Rule> enforced = RedirectRules.enforced(judgements);
        if (enforced.isEmpty()) {
            return null;
        }
        // A followed 308 goes the JDK's 307 way; the rules change it from there.
        NextRequest base = status == 308
                ? jdkNextRequest(new Hop(307, hop.method(), body, hop.from(), hop.to(), names), cookieHandler) : jdk;
        NextRequest next = RedirectRules.compose(hop, base, settings.policy(), enforced);
        return plan(hop, next, streaming, callerHeaders, cookieHandler);
    }

    /** The bridge's plan for {@code next}, given how the JDK's followRedirect0 builds a request. */
    static RedirectGuardBridge.HucPlan plan(Hop hop, NextRequest next, boolean streaming, String[] callerHeaders,
                                            boolean cookieHandler) {
        if (!next.follows()) {
            // HttpRetryException (the streamed body is needed again); the JDK's own stop.
            return new RedirectGuardBridge.HucPlan(true, false, false, null, null);
        }
        boolean switchToGet = !next.method().equals(hop.method());
        // What the JDK's branch keeps of the caller's headers: none after its switch to GET (a fresh
        // header set); all of them on the other branch, less the credentials it strips itself on
        // another host.
        Set<String> jdkKeeps = new LinkedHashSet<String>(jdkKeeps(hop, switchToGet, cookieHandler));
        List<String> add = new ArrayList<String>();
        List<String> remove = new ArrayList<String>();
        for (int i = 0; i + 1 < callerHeaders.length; i += 2) {
            String name = callerHeaders[i].toLowerCase(Locale.ROOT);
            if (Headers.isBodyHeader(name)) {
                // Kept by the JDK with the request unless it switches to GET; the rules may drop them
                // (after a 303 the GET carries none, body or no body).
                if (!switchToGet && !next.bodyHeaders()) {
                    remove.add(callerHeaders[i]);
                    remove.add(callerHeaders[i + 1]);
                }
                continue;
            }
            boolean wanted = next.headers().contains(name);
            if (wanted && !jdkKeeps.contains(name)) {
                add.add(callerHeaders[i]);
                add.add(callerHeaders[i + 1]);
            } else if (!wanted && jdkKeeps.contains(name)) {
                remove.add(callerHeaders[i]);
                remove.add(callerHeaders[i + 1]);
            }
        }
        return new RedirectGuardBridge.HucPlan(false, switchToGet, switchToGet && streaming,
                remove.toArray(new String[0]), add.toArray(new String[0]));
    }

    /**
     * What the unpatched HttpURLConnection does (checked against its bytecode in 8 to 27): 308
     * goes back to the caller; a streamed body throws; POST (unless http.strictPostRedirect, and not
     * on 307) becomes a GET with a fresh header set; anything else keeps method, body and headers,
     * less Authorization and Cookie on another host.
     */
    static NextRequest jdkNextRequest(Hop hop) {
        return jdkNextRequest(hop, false);
    }

    /** @param cookieHandler whether a CookieHandler is installed (the JDK puts the caller's Cookie back itself) */
    static NextRequest jdkNextRequest(Hop hop, boolean cookieHandler) {
        if (hop.status() == 308) {
            return NextRequest.returned();
        }
        if (hop.body() == BodyKind.STREAMED) {
            return NextRequest.retryException();
        }
        boolean switches = "POST".equals(hop.method()) && !Boolean.getBoolean("http.strictPostRedirect")
                && hop.status() != 307;
        boolean body = !switches && hop.body() != BodyKind.NONE;
        return NextRequest.follow(switches ? "GET" : hop.method(), body, !switches,
                jdkKeeps(hop, switches, cookieHandler));
    }

    /**
     * The caller's headers the JDK's followRedirect0 sends again: after its switch to GET none (a
     * fresh header set), but the caller's Cookie on the same host where a CookieHandler merges it
     * back; on the other branch all of them, less the credentials it strips itself on another host.
     */
    private static Set<String> jdkKeeps(Hop hop, boolean switchesToGet, boolean cookieHandler) {
        Set<String> keeps = new LinkedHashSet<String>();
        if (switchesToGet) {
            if (cookieHandler && hop.sameOrigin()) {
                for (String name : hop.callerHeaders()) {
                    if (name.equals("cookie") || name.equals("cookie2")) {
                        keeps.add(name);
                    }
                }
            }
            return keeps;
        }
        keeps.addAll(hop.callerHeaders());
        if (!hop.sameOrigin()) {
            keeps.removeAll(JDK_CROSS_ORIGIN_STRIP);
        }
        return keeps;
    }
}
