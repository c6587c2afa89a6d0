package dev.redirectguard.agent;

import dev.redirectguard.config.Mode;
import dev.redirectguard.config.Settings;
import dev.redirectguard.rules.BodyKind;
import dev.redirectguard.rules.Headers;
import dev.redirectguard.rules.Hop;
import dev.redirectguard.rules.Judgement;
import dev.redirectguard.rules.NextRequest;
import dev.redirectguard.rules.RedirectRules;
import dev.redirectguard.rules.Rule;
import dev.redirectguard.rules.RuleScope;
import dev.redirectguard.rules.Target;
import dev.redirectguard.rules.Violation;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Adapts java.net.http's redirect steps to the rules (JDK 11+ only: the hooks that load it run
 * nowhere else). A hop starts in RedirectFilter.handleResponse ({@link #hop}: a record the bridge
 * keeps against the request being redirected), may be refused at canRedirect ({@link #refuse}), and
 * is decided where the JDK has built the redirect's request ({@link #next}): there the JDK's own
 * next request is known exactly, so audit compares what the JDK really sends with the rules.
 */
final class HttpClientHops {
    static final String CLIENT = "HttpClient";

    /** One hop in progress: what RedirectFilter knew. Kept by the bridge until handleResponse exits. */
    static final class HopRecord {
        final int status;
        final String method;
        final String jdkMethod;
        final URI target;
        final HttpRequest previous;
        final String caller;
        /** The client has an Authenticator and this JDK keeps the caller's own Authorization off the wire then. */
        final boolean authenticator;
        final Settings settings;
        boolean reported;

        HopRecord(int status, String method, String jdkMethod, URI target, HttpRequest previous, Sender sender,
                  Settings settings) {
            this.status = status;
            this.method = method;
            this.jdkMethod = jdkMethod;
            this.target = target;
            this.previous = previous;
            this.caller = sender == null ? null : sender.frame;
            this.authenticator = sender != null && sender.authenticator;
            this.settings = settings;
        }
    }

    /** What is known of a request as it is sent. */
    static final class Sender {
        final String frame;
        final boolean authenticator;

        Sender(String frame, boolean authenticator) {
            this.frame = frame;
            this.authenticator = authenticator;
        }
    }

    private final GuardState state;
    private final Reporter reporter;
    /** The application frame of each request that can be redirected, by its exchange, taken as it is sent. */
    private final WeakIdentityTable<Sender> senders = new WeakIdentityTable<Sender>();

    HttpClientHops(GuardState state, Reporter reporter) {
        this.state = state;
        this.reporter = reporter;
    }

    /**
     * On the sending thread: the application frame of a request whose redirects can break a rule
     * (a Redirect.NEVER client never asks the filter; a plain GET on a client that refuses https to
     * http cannot: its hops need no frame, and the stack walk is most of what a send costs with the
     * agent), kept with its exchange, which is all that holds it: no thread, no request, nothing
     * once the exchange is gone.
     */
    void sent(Object exchange, Object client, Object request) {
        HttpClient c = (HttpClient) client;
        Settings settings = state.settings();
        HttpClient.Redirect redirect = c.followRedirects();
        if (settings.mode() == Mode.OFF || redirect == HttpClient.Redirect.NEVER) {
            return;
        }
        HttpRequest r = (HttpRequest) request;
        if (r != null && !RedirectRules.canBreakRule(r.method(), hasBody(r), r.headers().map().keySet(),
                redirect == HttpClient.Redirect.ALWAYS, settings.policy())) {
            return;
        }
        // Walked here, not through Callers: each method between the hook and the walk is one more
        // frame for the JVM to fill.
        String frame = WalkedFrames.SEND_WALKER.walk(WalkedFrames.FIRST);
        senders.put(exchange, new Sender(frame, c.authenticator().isPresent() && JdkAuthorizationFilter.active()));
    }

    Object hop(int status, String method, String jdkMethod, URI target, Object previous, Object exchange) {
        Settings settings = state.settings();
        if (settings.mode() == Mode.OFF || !RedirectRules.isRedirect(status) || target == null) {
            return null;
        }
        return new HopRecord(status, method, jdkMethod, target, (HttpRequest) previous, senders.get(exchange),
                settings);
    }

    /** canRedirect said yes: true when this hop enforces no-https-downgrade (then reported refused here). */
    boolean refuse(Object record) {
        HopRecord h = (HopRecord) record;
        // Only https -> http (Hop.downgrade) is refused here: every other hop goes on to next() without
        // building anything.
        if (!"http".equalsIgnoreCase(h.target.getScheme())
                || !"https".equalsIgnoreCase(h.previous.uri().getScheme())) {
            return false;
        }
        Hop hop = hop(h, null);
        NextRequest jdk = NextRequest.follow(h.jdkMethod, false, false, Collections.<String>emptyList());
        List<Judgement> judgements = judge(h, hop, jdk);
        if (!RedirectRules.enforced(judgements).contains(Rule.NO_HTTPS_DOWNGRADE)) {
            return false; // followed: reported where its request is built
        }
        h.reported = true;
        reporter.report(CLIENT, h.settings, hop, jdk, NextRequest.returned(), judgements, h.caller);
        return true;
    }

    /**
     * The JDK built the redirect's request ({@code jdkMethod}, {@code jdkHeaders}, {@code jdkPublisher}):
     * reports what breaks a rule and returns {method, headers, publisher} the hop sends, or null to
     * keep the JDK's.
     */
    Object[] next(Object record, String jdkMethod, Object jdkHeaders, Object jdkPublisher) {
        HopRecord h = (HopRecord) record;
        if (h.reported) {
            return null;
        }
        h.reported = true;
        Map<String, List<String>> previousHeaders = h.previous.headers().map();
        Map<String, List<String>> jdkMap = jdkHeaders == null ? Collections.<String, List<String>>emptyMap()
                : ((HttpHeaders) jdkHeaders).map();
        if (RedirectRules.repeatedAsIs(h.status, Target.sameOrigin(h.previous.uri(), h.target),
                h.method.equals(jdkMethod), hasBody(h.previous) == hasBody(jdkPublisher),
                previousHeaders.keySet().equals(jdkMap.keySet()))) {
            return null;
        }
        Hop hop = hop(h, onTheWire(h, previousHeaders.keySet()));
        NextRequest jdk = NextRequest.follow(jdkMethod, hasBody(jdkPublisher), hasBodyHeader(jdkMap),
                onTheWire(h, jdkMap.keySet()));
        List<Judgement> judgements = judge(h, hop, jdk);
        if (judgements.isEmpty()) {
            return null;
        }
        reporter.report(CLIENT, h.settings, hop, jdk, RedirectRules.expected(hop, h.settings.policy()), judgements,
                h.caller);
        Set<Rule> enforced = RedirectRules.enforced(judgements);
        if (enforced.isEmpty()) {
            return null;
        }
        NextRequest next = RedirectRules.compose(hop, jdk, h.settings.policy(), enforced);
        if (!next.follows()) {
            return null; // refusals happen at canRedirect
        }
        Object publisher = null;
        if (next.body()) {
            publisher = jdkPublisher != null ? jdkPublisher : h.previous.bodyPublisher().orElse(null);
        }
        // The headers the hop sends: the caller's own, those the rules keep.
        Map<String, List<String>> headers = new LinkedHashMap<String, List<String>>();
        for (Map.Entry<String, List<String>> e : previousHeaders.entrySet()) {
            String name = e.getKey().toLowerCase(Locale.ROOT);
            boolean sent = Headers.isBodyHeader(name) ? next.bodyHeaders() : next.headers().contains(name);
            // A header the JDK never puts on the wire (Authorization beside an Authenticator) stays as the JDK has it.
            if (h.authenticator && name.equals("authorization")) {
                sent = jdkMap.containsKey(e.getKey());
            }
            if (sent) {
                headers.put(e.getKey(), e.getValue());
            }
        }
        return new Object[] {next.method(), HttpHeaders.of(headers, AnyHeader.INSTANCE), publisher};
    }

    /** The header names that go on the wire: where the JDK drops the caller's Authorization, without it. */
    private static List<String> onTheWire(HopRecord h, Iterable<String> names) {
        List<String> out = new java.util.ArrayList<String>();
        for (String n : names) {
            if (!(h.authenticator && n.equalsIgnoreCase("authorization"))) {
                out.add(n);
            }
        }
        return out;
    }

    private List<Judgement> judge(HopRecord h, Hop hop, NextRequest jdk) {
        List<Violation> violations = RedirectRules.violations(hop, jdk, h.settings.policy());
        RuleScope scope = Scopes.of(h.settings, hop.to(), h.caller);
        return RedirectRules.judge(violations, scope);
    }

    private static Hop hop(HopRecord h, Iterable<String> callerHeaders) {
        return new Hop(h.status, h.method, hasBody(h.previous) ? BodyKind.BUFFERED : BodyKind.NONE,
                Target.of(h.previous.uri()), Target.of(h.target),
                callerHeaders == null ? Collections.<String>emptyList() : callerHeaders);
    }

    private static boolean hasBody(HttpRequest request) {
        return request.bodyPublisher().isPresent() && hasBody(request.bodyPublisher().get());
    }

    private static boolean hasBody(Object publisher) {
        return publisher != null && ((HttpRequest.BodyPublisher) publisher).contentLength() != 0L;
    }

    private static boolean hasBodyHeader(Map<String, List<String>> headers) {
        for (String name : headers.keySet()) {
            if (Headers.isBodyHeader(name)) {
                return true;
            }
        }
        return false;
    }

    /** HttpHeaders.of's filter; a class, not a lambda (see WalkedFrames). */
    private static final class AnyHeader implements java.util.function.BiPredicate<String, String> {
        static final AnyHeader INSTANCE = new AnyHeader();

        @Override
        public boolean test(String name, String value) {
            return true;
        }
    }
}
