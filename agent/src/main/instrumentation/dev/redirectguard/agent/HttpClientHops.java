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
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

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
        /** The application frame, when taken as the request was sent; else null. */
        final String caller;
        /** The blocking send that names the caller when it ends, or null. */
        final BlockingSend blocking;
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
            this.blocking = sender == null ? null : sender.blocking;
            this.authenticator = sender != null && sender.authenticator;
            this.settings = settings;
        }
    }

    /** What is known of a request as it is sent: its frame, or the blocking send that will name it. */
    static final class Sender {
        final String frame;
        final BlockingSend blocking;
        final boolean authenticator;

        Sender(String frame, BlockingSend blocking, boolean authenticator) {
            this.frame = frame;
            this.blocking = blocking;
            this.authenticator = authenticator;
        }
    }

    /**
     * A blocking send in progress, from its start to its end on its thread. The exchange it builds
     * finds it there; that exchange's hops hand their log lines to it, and at its end the thread
     * walks its own stack, once, for the caller of those lines. So a send whose hops break no rule
     * takes no walk at all, and the caller is the one a walk at the send would have found: the
     * frames above send are the same.
     */
    static final class BlockingSend {
        private static final Object ENDED = new Object();
        private static final AtomicReferenceFieldUpdater<BlockingSend, Object> LINES =
                AtomicReferenceFieldUpdater.newUpdater(BlockingSend.class, Object.class, "lines");

        /** The request sent, until the send ends (a stale table entry must not keep it). Only its thread touches it. */
        Object request;
        /**
         * The send this one is nested in (a ProxySelector or Authenticator of the application that
         * sends on the sending thread), or null.
         */
        final BlockingSend outer;
        /** Its exchange has been built. Only its thread touches it. */
        boolean claimed;
        /** null, the deferred lines (latest first), or ENDED. */
        private volatile Object lines;

        BlockingSend(Object request, BlockingSend outer) {
            this.request = request;
            this.outer = outer;
        }

        /** From a hop, on any thread: false once the send has ended (a hop after a timeout or interrupt). */
        boolean defer(DeferredLines d) {
            for (;;) {
                Object current = lines;
                if (current == ENDED) {
                    return false;
                }
                d.next = (DeferredLines) current;
                if (LINES.compareAndSet(this, current, d)) {
                    return true;
                }
            }
        }

        /** At the end of the send: the deferred lines, in the order the hops gave them. */
        List<DeferredLines> end() {
            Object last = LINES.getAndSet(this, ENDED);
            if (last == null || last == ENDED) {
                return Collections.emptyList();
            }
            List<DeferredLines> inOrder = new ArrayList<DeferredLines>();
            for (DeferredLines d = (DeferredLines) last; d != null; d = d.next) {
                inOrder.add(d);
            }
            Collections.reverse(inOrder);
            return inOrder;
        }
    }

    /** One hop's lines, waiting for the caller: everything the line says but that, taken at the hop. */
    static final class DeferredLines {
        final Settings settings;
        final Hop hop;
        final NextRequest jdk;
        final NextRequest expected;
        final List<Judgement> judgements;
        final long time;
        final String thread;
        DeferredLines next;

        DeferredLines(Settings settings, Hop hop, NextRequest jdk, NextRequest expected, List<Judgement> judgements) {
            this.settings = settings;
            this.hop = hop;
            this.jdk = jdk;
            this.expected = expected;
            this.judgements = judgements;
            this.time = System.currentTimeMillis();
            this.thread = Thread.currentThread().getName();
        }
    }

    private final GuardState state;
    private final Reporter reporter;
    /** Whose callers are read in a flood of this client's violations. */
    private final CallerSampling callers = new CallerSampling();
    /** What the hops of each request that can be redirected know of its sender, by its exchange. */
    private final WeakIdentityTable<Sender> senders = new WeakIdentityTable<Sender>();

    HttpClientHops(GuardState state, Reporter reporter) {
        this.state = state;
        this.reporter = reporter;
    }

    /**
     * The blocking sends in progress on each thread, innermost first: set at a send's start and
     * removed at its end, returning or throwing, so nothing of it outlives the send. A thread-local
     * because the exchange is built deep inside send and nothing else of the send reaches there.
     */
    private final ThreadLocal<BlockingSend> blockingSends = new ThreadLocal<BlockingSend>();

    /** A blocking send starts, on its thread. */
    void sendStarted(Object request) {
        blockingSends.set(new BlockingSend(request, blockingSends.get()));
    }

    /**
     * A blocking send ends, on its thread: its hops' lines, if any hop broke a rule, are written
     * now with the caller, read from this thread's own stack (the same frames as at the send).
     */
    void sendEnded(Object request) {
        BlockingSend b = blockingSends.get();
        while (b != null && b.request != request) {
            b = b.outer;
        }
        if (b == null) {
            return;
        }
        // A send nested in this one ended before it: one still above it is one whose end failed
        // (a StackOverflowError in the hook), and goes with it.
        if (b.outer != null) {
            blockingSends.set(b.outer);
        } else {
            blockingSends.remove();
        }
        b.request = null;
        List<DeferredLines> deferred = b.end();
        if (deferred.isEmpty()) {
            return;
        }
        // In a flood its caller is read for some sends only (CallerSampling); a send's hops share
        // the decision of its first, as they share its caller.
        DeferredLines first = deferred.get(0);
        Target to = first.hop.to();
        boolean callerUnread = !callers.read(first.settings, to.scheme(), to.host(), to.port());
        String caller = callerUnread ? null : WalkedFrames.firstApplicationFrame();
        for (DeferredLines d : deferred) {
            reporter.report(CLIENT, d.settings, d.hop, d.jdk, d.expected, d.judgements, caller, callerUnread, d.time,
                    d.thread);
        }
    }

    /**
     * On the sending thread, its exchange built: what a hop of a request whose redirects can break
     * a rule needs to know of its sender (a Redirect.NEVER client never asks the filter; a plain
     * GET on a client that refuses https to http cannot break a rule), kept with its exchange,
     * which is all that holds it: no thread, no request, nothing once the exchange is gone. A
     * blocking send names its caller at its end, and only if a hop broke a rule; anything else
     * (sendAsync, or an enforce whose scope names callers, which decides by the caller at the hop)
     * walks the stack here.
     */
    void sent(Object exchange, Object client, Object request) {
        BlockingSend blocking = claim(request);
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
        boolean authenticator = c.authenticator().isPresent() && JdkAuthorizationFilter.active();
        if (blocking != null && !settings.decidesByCaller()) {
            senders.put(exchange, new Sender(null, blocking, authenticator));
            return;
        }
        // Walked here, not through Callers: each method between the hook and the walk is one more
        // frame for the JVM to fill.
        String frame = WalkedFrames.SEND_WALKER.walk(WalkedFrames.FIRST);
        senders.put(exchange, new Sender(frame, null, authenticator));
    }

    /** The blocking send of this thread that builds this request's exchange: the first exchange only. */
    private BlockingSend claim(Object request) {
        BlockingSend b = blockingSends.get();
        if (b == null || b.claimed || b.request != request) {
            return null;
        }
        b.claimed = true;
        return b;
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
        report(h, hop, jdk, NextRequest.returned(), judgements);
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
        report(h, hop, jdk, RedirectRules.expected(hop, h.settings.policy()), judgements);
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

    /**
     * The hop's lines: now when its caller is known, else handed to its blocking send, which names
     * the caller as it ends (or now, without one, if the send has ended already).
     */
    private void report(HopRecord h, Hop hop, NextRequest jdk, NextRequest expected, List<Judgement> judgements) {
        if (judgements.isEmpty()) {
            return;
        }
        if (h.caller == null && h.blocking != null
                && h.blocking.defer(new DeferredLines(h.settings, hop, jdk, expected, judgements))) {
            return;
        }
        reporter.report(CLIENT, h.settings, hop, jdk, expected, judgements, h.caller);
    }

    /** The header names that go on the wire: where the JDK drops the caller's Authorization, without it. */
    private static List<String> onTheWire(HopRecord h, Iterable<String> names) {
        List<String> out = new ArrayList<String>();
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
