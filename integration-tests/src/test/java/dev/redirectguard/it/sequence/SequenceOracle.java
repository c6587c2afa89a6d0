package dev.redirectguard.it.sequence;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What each mode must show, call by call, against the run without the agent ({@code none}).
 *
 * <p><b>audit</b>: every request of every call exactly as in none (method, target, every header
 * line in order, body), the same caller outcome, and one log line per rule that none's hop broke.
 *
 * <p><b>enforce</b>: the chain of requests walked hop by hop. A request that follows no redirect
 * (a call's first, a 401/407 retry, the JDK's resend after a dropped connection, a 300/305) is the
 * JDK's: exactly as in none when the request before it was, else changed by the same delta as in
 * none. A request that follows a 301/302/303/307/308 is what RFC 9110 makes of the request that
 * got the 3xx (written here from the RFC, not from the agent): 303 -> GET (HEAD stays), 301/302
 * POST -> GET, others keep method; the body and its headers go exactly when the method is kept
 * (never after 303); on the same origin the caller's headers of that request go along, on another
 * origin the caller's Authorization and Cookie do not; https -> http and a streamed
 * HttpURLConnection body that would be needed again are refused. What the rules do not name is
 * the JDK's and must be as in none's request for the same path: the credentials and cookies the
 * JDK adds itself, framing, User-Agent, Host and the rest. Log: a {@code corrected} line for each
 * rule none broke at that hop, {@code refused} lines where the rules refuse; nothing else.
 *
 * <p>Where none never sent a comparable request (enforce followed a 308 that none returned) the
 * JDK's part has no reference: there it must be the one of the request that got the 3xx, and
 * JDK credentials and cookies are only checked to be the JDK's.
 *
 * <p>Normalisation: none for requests. Method, request target, every header line in order and the
 * body bytes are compared as they arrived; nothing in a request varies between runs (the servers'
 * ports are the same for every run of a test JVM, the clients' own ports never appear in a
 * request). Which connection carried a request is recorded, never compared: that is the JDK's
 * business. Calls run at once have paths of their own, so comparing call by call compares each
 * step as a multiset. Outcomes: the call's duration is dropped; in exception messages numbers of
 * 4-5 digits that are no server port, and object hashes, are masked; a cancelled call is compared
 * by its exception's class only, a timeout without its cause (which JDK thread sees the cancel or
 * the timer first is thread timing, without the agent too).
 */
public final class SequenceOracle {
    static final String SAME_METHOD = "same-method-307-308";
    static final String GET_AFTER_303 = "get-after-303";
    static final String POST_AFTER_301_302 = "post-after-301-302";
    static final String SAME_ORIGIN_HEADERS = "same-origin-headers";
    static final String CROSS_ORIGIN_STRIP = "cross-origin-strip";
    static final String NO_HTTPS_DOWNGRADE = "no-https-downgrade";
    static final String STREAMED_BODY = "streamed-body";
    static final String RETRY_EXCEPTION = "java.net.HttpRetryException";
    /**
     * The child JVMs' redirect limits, {@code http.maxRedirects} and
     * {@code jdk.httpclient.redirects.retrylimit}: both JDKs count authentication retries too, so
     * a call sends at most this many requests.
     */
    public static final int REDIRECT_LIMIT = 5;

    /** One difference: the call, a kind without ids (what shrinking keeps failing), and the details. */
    public record Mismatch(String call, String kind, String detail) {
        public String describe() {
            return call + ": " + kind + ": " + detail;
        }
    }

    private enum Decision { FOLLOW, REFUSE_DOWNGRADE, REFUSE_STREAMED }

    /** A 3xx with Location that a request got: from its URL to the Location. */
    private record Hop(Recorded p, int status, String from, String to, boolean sameOrigin, boolean downgrade,
                       boolean schemeChange) {
        String key() {
            return from + " -> " + to;
        }
    }

    /** What none did at one hop: the rules it broke, and whether the rules refuse a streamed body there. */
    private record HopEval(Hop hop, boolean followed, Set<String> broken, boolean streamedRefusal) {
    }

    /** One log line a hop may or must have: any of {@code rules}, with any of {@code actions}. */
    private record LineSpec(Set<String> rules, Set<String> actions, boolean required, Hop hop) {
    }

    private final Plan plan;
    private final Set<Integer> serverPorts;
    private final boolean huc;
    private final Map<String, Plan.Call> calls = new LinkedHashMap<>();
    private final Map<String, Plan.ClientSpec> clients;

    public SequenceOracle(Plan plan, Set<Integer> serverPorts) {
        this.plan = plan;
        this.serverPorts = serverPorts;
        this.huc = plan.api().equals(Plan.HUC);
        plan.calls().forEach(c -> calls.put(c.id(), c));
        this.clients = plan.clientsById();
    }

    // ---------------------------------------------------------------- none

    /** The run without the agent must have tested something: every call's outcome, its first request as planned. */
    public List<Mismatch> checkNone(RunOutput none) {
        List<Mismatch> mm = new ArrayList<>();
        none.problems().forEach(p -> mm.add(new Mismatch("-", "run", p)));
        for (Plan.Call c : calls.values()) {
            Map<String, Object> o = none.outcomes().get(c.id());
            if (o == null) {
                mm.add(new Mismatch(c.id(), "no outcome", "the child wrote no outcome line"));
                continue;
            }
            if (o.containsKey("setuperror") || o.containsKey("runnererror") || o.containsKey("awaiterror")) {
                mm.add(new Mismatch(c.id(), "child error", String.valueOf(o)));
            }
            List<Recorded> chain = none.requests(c.id());
            if (chain.isEmpty()) {
                mm.add(new Mismatch(c.id(), "no request", "the servers got nothing for " + c.start().path()));
            } else if (!chain.get(0).path().equals(c.start().path()) || !chain.get(0).method().equals(c.method())) {
                mm.add(new Mismatch(c.id(), "first request", "expected " + c.method() + " " + c.start().path() + ", got "
                        + chain.get(0).method() + " " + chain.get(0).path()));
            }
        }
        return mm;
    }

    // ---------------------------------------------------------------- audit

    public List<Mismatch> checkAudit(RunOutput none, RunOutput audit) {
        List<Mismatch> mm = new ArrayList<>();
        audit.problems().forEach(p -> mm.add(new Mismatch("-", "run", p)));
        Map<String, List<LineSpec>> expected = new LinkedHashMap<>();
        for (Plan.Call c : calls.values()) {
            List<Recorded> n = none.requests(c.id());
            List<Recorded> a = audit.requests(c.id());
            for (int i = 0; i < Math.max(n.size(), a.size()); i++) {
                Recorded rn = i < n.size() ? n.get(i) : null;
                Recorded ra = i < a.size() ? a.get(i) : null;
                if (rn == null || ra == null || !rn.wire().equals(ra.wire())) {
                    mm.add(new Mismatch(c.id(), "request differs from none", "request " + (i + 1) + ": none "
                            + show(rn) + "\n        audit " + show(ra)));
                    break;
                }
            }
            compareOutcomes(mm, c, "outcome differs from none", none.outcomes().get(c.id()), audit.outcomes().get(c.id()));
            for (HopEval e : evaluate(c, n)) {
                addAuditLines(expected, c, e, none.outcomes().get(c.id()));
            }
        }
        checkLog(mm, audit, "audit", Set.of("observed"), expected);
        return mm;
    }

    /** Every hop is registered with its from and to, line or not: a line's status and method must fit one of them. */
    private static List<LineSpec> specsOf(Map<String, List<LineSpec>> expected, Hop hop) {
        List<LineSpec> specs = expected.computeIfAbsent(hop.key(), k -> new ArrayList<>());
        specs.add(new LineSpec(Set.of(), Set.of(), false, hop));
        return specs;
    }

    private void addAuditLines(Map<String, List<LineSpec>> expected, Plan.Call c, HopEval e, Map<String, Object> outcome) {
        List<LineSpec> specs = specsOf(expected, e.hop());
        Set<String> observed = Set.of("observed");
        for (String rule : e.broken()) {
            specs.add(new LineSpec(Set.of(rule), observed, true, e.hop()));
        }
        if (endedBeforeTheWire(c, e, outcome)) {
            Set<String> rules = Set.of(statusRule(e.hop().status()),
                    e.hop().sameOrigin() ? SAME_ORIGIN_HEADERS : CROSS_ORIGIN_STRIP);
            specs.add(new LineSpec(rules, observed, false, e.hop()));
            specs.add(new LineSpec(rules, observed, false, e.hop()));
        }
        // A hop that needs a streamed body again: not following it is what the rules ask, whether the
        // JDK throws HttpRetryException or hands the 3xx back. Nothing differs on the wire: no line.
    }

    // ---------------------------------------------------------------- enforce

    public List<Mismatch> checkEnforce(RunOutput none, RunOutput enforce) {
        List<Mismatch> mm = new ArrayList<>();
        enforce.problems().forEach(p -> mm.add(new Mismatch("-", "run", p)));
        Map<String, List<LineSpec>> expected = new LinkedHashMap<>();
        for (Plan.Call c : calls.values()) {
            enforceCall(mm, expected, c, none.requests(c.id()), enforce.requests(c.id()),
                    none.outcomes().get(c.id()), enforce.outcomes().get(c.id()));
        }
        checkLog(mm, enforce, "enforce", Set.of("corrected", "refused"), expected);
        return mm;
    }

    private void enforceCall(List<Mismatch> mm, Map<String, List<LineSpec>> expectedLines, Plan.Call c,
                             List<Recorded> n, List<Recorded> e, Map<String, Object> outN, Map<String, Object> outE) {
        if (outE == null) {
            mm.add(new Mismatch(c.id(), "no outcome", "the child wrote no outcome line"));
            return;
        }
        if (n.isEmpty() || e.isEmpty()) {
            if (n.size() != e.size()) {
                mm.add(new Mismatch(c.id(), "request count", "none sent " + n.size() + ", enforce " + e.size()));
            } else {
                compareOutcomes(mm, c, "outcome differs from none", outN, outE);
            }
            return;
        }
        // A call's first request is the caller's and the JDK's, never a redirect's: as in none.
        // The JDK's own cached credentials may differ: enforce followed hops the JDK alone did not.
        boolean inSync = e.get(0).wireWithoutJdkCredentials(Wire.callerAuthorization(c))
                .equals(n.get(0).wireWithoutJdkCredentials(Wire.callerAuthorization(c)));
        if (!inSync) {
            mm.add(new Mismatch(c.id(), "first request differs from none", "none " + show(n.get(0)) + "\n        enforce "
                    + show(e.get(0))));
        }
        List<HopEval> noneHops = evaluate(c, n);
        String stop = null; // why enforce's chain ended, when the rules ended it
        int i = 1;
        for (; ; i++) {
            Recorded p = e.get(i - 1);
            Recorded nPrev = inSync && i - 1 < n.size() ? n.get(i - 1) : null;
            Recorded nNext = inSync && i < n.size() ? n.get(i) : null;
            Recorded next = i < e.size() ? e.get(i) : null;
            String where = "request " + (i + 1) + " (after " + p.method() + " " + p.path() + " got " + p.answerText() + ")";
            if (isRuleRedirect(p)) {
                Hop hop = hopOf(p);
                Decision d = decide(hop, c);
                HopEval noneAt = null;
                if (nPrev != null) {
                    int at = i;
                    noneAt = noneHops.stream().filter(h -> h.hop().p() == n.get(at - 1)).findFirst().orElse(null);
                }
                // What the JDK alone did here stands for what it would have done only for the same request.
                HopEval noneHop = noneAt != null && Wire.ruleEquivalent(p, nPrev, c) ? noneAt : null;
                addEnforceLines(expectedLines, c, hop, d, noneHop, outN);
                if (d != Decision.FOLLOW) {
                    if (next != null) {
                        mm.add(new Mismatch(c.id(), "hop followed though the rules refuse (" + rulesOf(d, hop) + ")",
                                where + ": " + show(next)));
                    }
                    stop = d == Decision.REFUSE_STREAMED ? "streamed" : "downgrade";
                    break;
                }
                boolean atLimit = noneAt != null ? !noneAt.followed() && jdkOwnStop(hop, c) : i >= REDIRECT_LIMIT;
                if ((huc && hop.schemeChange()) || atLimit) {
                    // The JDK alone stops here for a reason no rule names: HttpURLConnection never
                    // follows a scheme change; the redirect limit (as none shows it, or where none
                    // has no such chain, the number of requests the limit allows).
                    if (next != null) {
                        mm.add(new Mismatch(c.id(), "hop followed where the JDK alone stops and no rule asks to follow",
                                where + ": " + show(next)));
                    }
                    stop = "jdk";
                    break;
                }
                if (next == null) {
                    mm.add(new Mismatch(c.id(), "hop not followed (" + statusRule(hop.status()) + ")", where
                            + ": the rules follow it, enforce did not"));
                    break;
                }
                Recorded ref = nNext != null && nNext.path().equals(next.path()) ? nNext : null;
                boolean refFull = ref != null && nPrev != null && Wire.ruleEquivalent(p, nPrev, c);
                compareRedirect(mm, c, where, hop, p, next, ref, refFull);
            } else if (jdkGoverned(p)) {
                boolean comparable = nNext != null && next != null && nNext.path().equals(next.path());
                // None's step is a reference only for the same request in the rules' terms: the
                // JDK's retry depends on it (HttpClient 11 repeats a caller's Authorization on a
                // 401 instead of asking its Authenticator).
                boolean reference = nPrev != null && Wire.ruleEquivalent(p, nPrev, c);
                if (inSync && reference && (comparable || nNext == null || next == null)) {
                    if ((nNext == null) != (next == null)) {
                        if (p.wire().equals(nPrev.wire())) {
                            mm.add(new Mismatch(c.id(), "JDK's own step differs from none", where + ": none "
                                    + show(nNext) + ", enforce " + show(next)));
                        }
                    } else if (next != null) {
                        String want = applyDelta(nPrev, nNext, p, c);
                        String got = canonical(next, c);
                        if (!want.equals(got)) {
                            mm.add(new Mismatch(c.id(), p.wire().equals(nPrev.wire())
                                    ? "JDK's own request differs from none" : "JDK's own request changed unlike none's",
                                    where + ":\n        expected " + want + "\n        enforce  " + got));
                        }
                    }
                } else if (next != null && (p.answer() == 401 || p.answer() == 407)) {
                    // No reference in none: the retry is the same request, with the credentials
                    // asked for (or, HttpClient 11, the caller's own Authorization once more).
                    String header = p.answer() == 401 ? "Authorization" : "Proxy-Authorization";
                    String creds = p.answer() == 401 ? SequenceServers.SERVER_BASIC : SequenceServers.PROXY_BASIC;
                    boolean credentials = next.values(header).contains(creds)
                            || (p.answer() == 401 && Wire.hasCallerAuthorization(next, c));
                    if (!next.path().equals(p.path()) || !next.method().equals(p.method())
                            || !next.bodyText().equals(p.bodyText()) || !credentials) {
                        mm.add(new Mismatch(c.id(), "authentication retry is not the same request with credentials",
                                where + ": " + show(next)));
                    }
                }
                if (next == null) {
                    break;
                }
            } else {
                if (next != null) {
                    mm.add(new Mismatch(c.id(), "request after a final answer", where + ": " + show(next)));
                }
                break;
            }
            inSync = inSync && nNext != null && nNext.path().equals(next.path()) && nNext.answer() == next.answer();
        }
        checkEnforceOutcome(mm, c, n, e, outN, outE, inSync && e.size() == n.size(), stop);
    }

    private void compareRedirect(List<Mismatch> mm, Plan.Call c, String where, Hop hop, Recorded p, Recorded e,
                                 Recorded ref, boolean refFull) {
        String rule = statusRule(hop.status());
        String method = rulesMethod(hop.status(), p.method());
        boolean keep = keepsBody(hop.status(), p.method());
        String what = where + ", " + hop.status() + " " + p.method() + " -> " + method + (keep ? " with" : " without")
                + " body; enforce sent " + show(e);
        check(mm, c, "hop: method (" + rule + ")", what, method, e.method());
        check(mm, c, "hop: body (" + rule + ")", what, keep ? p.bodyText() : "", e.bodyText());
        check(mm, c, "hop: body headers (" + rule + ")", what, keep ? Wire.bodyHeaders(p) : List.of(), Wire.bodyHeaders(e));
        if (!e.bodyText().equals(keep ? p.bodyText() : "")) {
            // The body itself is wrong (reported above): its framing says nothing more.
        } else if (keep) {
            check(mm, c, "hop: framing (no rule)", what, Wire.framing(p), Wire.framing(e));
        } else if (ref != null && ref.body().length == 0) {
            check(mm, c, "hop: framing (no rule)", what, Wire.framing(ref), Wire.framing(e));
        } else if (!Wire.framing(e).isEmpty() && !Wire.framing(e).equals(List.of("content-length: 0"))) {
            mm.add(new Mismatch(c.id(), "hop: framing (no rule)", what + ": framing " + Wire.framing(e) + " without a body"));
        }
        URI to = URI.create(hop.to());
        String target = ref != null ? ref.target() : p.target().startsWith("http") ? hop.to() : to.getRawPath();
        check(mm, c, "hop: request target (no rule)", what, target, e.target());

        // The caller's own headers (of the request that got the 3xx).
        String headerRule = hop.sameOrigin() ? SAME_ORIGIN_HEADERS : CROSS_ORIGIN_STRIP;
        if (hop.sameOrigin()) {
            check(mm, c, "hop: caller Authorization (" + headerRule + ")", what, Wire.hasCallerAuthorization(p, c),
                    Wire.hasCallerAuthorization(e, c));
            check(mm, c, "hop: caller Cookie (" + headerRule + ")", what, Wire.hasCallerCookie(p, c), Wire.hasCallerCookie(e, c));
            check(mm, c, "hop: caller X-Custom (" + headerRule + ")", what, Wire.hasCallerCustom(p, c), Wire.hasCallerCustom(e, c));
        } else {
            check(mm, c, "hop: caller Authorization (" + headerRule + ")", what, false, Wire.hasCallerAuthorization(e, c));
            check(mm, c, "hop: caller Cookie (" + headerRule + ")", what, false, Wire.hasCallerCookie(e, c));
            if (refFull) {
                // Another origin and not a credential: no rule; as the JDK alone sends it.
                check(mm, c, "hop: caller X-Custom to another origin (no rule, as none)", what,
                        Wire.hasCallerCustom(ref, c), Wire.hasCallerCustom(e, c));
            }
        }
        // What the JDK adds itself for the target is kept: its credentials, its cookies. Where
        // same-origin-headers puts the caller's Authorization back, that one goes, as on the caller's
        // own first request (the JDK adds its cached credentials only where none is set).
        boolean callerAuthorizationBack = hop.sameOrigin() && Wire.hasCallerAuthorization(p, c);
        if (ref != null && !Wire.hasCallerAuthorization(ref, c) && !callerAuthorizationBack) {
            // Kept: what the JDK alone sends is there (its cache may hold more after hops enforce followed).
            if (!Wire.jdkAuthorization(e, c).containsAll(Wire.jdkAuthorization(ref, c))) {
                check(mm, c, "hop: JDK credentials for the target (must be kept)", what, Wire.jdkAuthorization(ref, c),
                        Wire.jdkAuthorization(e, c));
            }
        } else if (!Wire.jdkAuthorization(e, c).stream().allMatch(SequenceServers.SERVER_BASIC::equals)) {
            mm.add(new Mismatch(c.id(), "hop: Authorization that is neither the caller's nor the JDK's", what));
        }
        if (ref != null) {
            check(mm, c, "hop: JDK cookies for the target (must be kept)", what, Wire.jdkCookies(ref, c), Wire.jdkCookies(e, c));
            check(mm, c, "hop: Proxy-Authorization (no rule)", what, ref.values("Proxy-Authorization"),
                    e.values("Proxy-Authorization"));
        }
        // Everything else is the JDK's: as in none's request for this path, else as on the request before.
        List<String> jdk = ref != null ? Wire.jdkLines(ref) : withHost(Wire.jdkLines(p), to);
        check(mm, c, "hop: JDK's own headers (no rule)", what, jdk, Wire.jdkLines(e));
    }

    private static List<String> withHost(List<String> lines, URI to) {
        List<String> out = new ArrayList<>();
        for (String l : lines) {
            out.add(l.startsWith("host: ") ? "host: " + to.getRawAuthority() : l);
        }
        Collections.sort(out);
        return out;
    }

    private void checkEnforceOutcome(List<Mismatch> mm, Plan.Call c, List<Recorded> n, List<Recorded> e,
                                     Map<String, Object> outN, Map<String, Object> outE, boolean sameChain, String stop) {
        Recorded last = e.get(e.size() - 1);
        Object error = outE.get("error");
        if (sameChain && stop == null && last.wire().equals(n.get(n.size() - 1).wire())) {
            compareOutcomes(mm, c, "outcome differs from none (same requests)", outN, outE);
            return;
        }
        if ("streamed".equals(stop)) {
            check(mm, c, "outcome: the streamed body must be refused (" + STREAMED_BODY + ")", "caller got " + outE,
                    RETRY_EXCEPTION, error);
            return;
        }
        if ("downgrade".equals(stop)) {
            check(mm, c, "outcome: the https to http 3xx must go back to the caller (" + NO_HTTPS_DOWNGRADE + ")",
                    "caller got " + outE, (long) last.answer(), outE.get("status"));
            return;
        }
        if (last.answer() < 0 || isRuleRedirect(last) || jdkGoverned(last) || "jdk".equals(stop)) {
            return; // cut off, dropped, never answered, the JDK's redirect limit, a 300/305: the JDK's own outcome
        }
        Object status = outE.get("status");
        if (!Objects.equals((long) last.answer(), status)) {
            mm.add(new Mismatch(c.id(), "outcome: status is not the last answer", "last request " + show(last)
                    + ", caller got " + outE));
        } else if (last.answer() == 200 && error == null && !last.method().equals("HEAD")
                && !Objects.equals("ok:" + last.path(), outE.get("body"))) {
            mm.add(new Mismatch(c.id(), "outcome: body is not the last answer's", "caller got " + outE));
        }
    }

    private void addEnforceLines(Map<String, List<LineSpec>> expected, Plan.Call c, Hop hop, Decision d, HopEval noneHop,
                                 Map<String, Object> noneOutcome) {
        List<LineSpec> specs = specsOf(expected, hop);
        String status = statusRule(hop.status());
        Set<String> corrected = Set.of("corrected");
        Set<String> refused = Set.of("refused");
        Set<String> either = Set.of("corrected", "refused");
        if (d == Decision.REFUSE_STREAMED) {
            return; // the JDK's own refusal, or a 308 followed like its 307 twin into it: nothing on the wire, no line
        }
        if (noneHop != null) {
            for (String rule : noneHop.broken()) {
                specs.add(new LineSpec(Set.of(rule), rule.equals(NO_HTTPS_DOWNGRADE) ? refused : corrected, true, hop));
            }
            if (endedBeforeTheWire(c, noneHop, noneOutcome)) {
                Set<String> rules = Set.of(status, hop.sameOrigin() ? SAME_ORIGIN_HEADERS : CROSS_ORIGIN_STRIP);
                specs.add(new LineSpec(rules, corrected, false, hop));
                specs.add(new LineSpec(rules, corrected, false, hop));
            }
            return;
        }
        // No comparable hop in none: what the JDK alone would have done is not known here.
        boolean always = "ALWAYS".equals(clients.get(c.client()).option("policy"));
        if (d == Decision.REFUSE_DOWNGRADE) {
            specs.add(new LineSpec(Set.of(NO_HTTPS_DOWNGRADE), refused, always && !huc, hop));
            return;
        }
        specs.add(new LineSpec(Set.of(status, hop.sameOrigin() ? SAME_ORIGIN_HEADERS : CROSS_ORIGIN_STRIP), either, false, hop));
        specs.add(new LineSpec(Set.of(status, hop.sameOrigin() ? SAME_ORIGIN_HEADERS : CROSS_ORIGIN_STRIP), either, false, hop));
    }

    // ---------------------------------------------------------------- log

    private void checkLog(List<Mismatch> mm, RunOutput run, String mode, Set<String> actions,
                          Map<String, List<LineSpec>> expected) {
        Map<String, List<Map<String, Object>>> byHop = new LinkedHashMap<>();
        for (Map<String, Object> line : run.log()) {
            String from = String.valueOf(line.get("from")).toLowerCase(Locale.ROOT);
            String to = String.valueOf(line.get("to")).toLowerCase(Locale.ROOT);
            String call = RunOutput.callOf(pathOf(from));
            String where = line.get("rule") + " " + line.get("action") + " " + from + " -> " + to;
            if (!plan.api().equals(line.get("client")) || !mode.equals(line.get("mode")) || !actions.contains(line.get("action"))) {
                mm.add(new Mismatch(call == null ? "-" : call, "log: line fields", "client/mode/action of " + line));
            }
            // Every call is made by the child's own code: each line names it (issue 9.4), sendAsync included.
            if (!String.valueOf(line.get("caller")).startsWith("dev.redirectguard.it.child.")) {
                mm.add(new Mismatch(call == null ? "-" : call, "log: caller", "caller " + line.get("caller") + " of " + where));
            }
            byHop.computeIfAbsent(from + " -> " + to, k -> new ArrayList<>()).add(line);
            if (!expected.containsKey(from + " -> " + to)) {
                mm.add(new Mismatch(call == null ? "-" : call, "log: line for no redirect hop (" + line.get("rule") + " "
                        + line.get("action") + ")", where + " [" + line.get("detail") + "]"));
            }
        }
        for (Map.Entry<String, List<LineSpec>> ex : expected.entrySet()) {
            List<Map<String, Object>> lines = new ArrayList<>(byHop.getOrDefault(ex.getKey(), List.of()));
            String call = RunOutput.callOf(pathOf(ex.getKey().substring(0, ex.getKey().indexOf(" -> "))));
            for (Map<String, Object> l : lines) {
                // A loop has several hops with the same from and to: the line must fit one of them.
                boolean fits = ex.getValue().stream().anyMatch(s -> Objects.equals((long) s.hop().status(), l.get("status"))
                        && Objects.equals(s.hop().p().method(), l.get("method")));
                if (!ex.getValue().isEmpty() && !fits) {
                    Hop h = ex.getValue().get(0).hop();
                    mm.add(new Mismatch(call, "log: line fields", "status/method " + l.get("status") + " " + l.get("method")
                            + " for hop " + h.status() + " " + h.p().method() + ": " + l));
                }
            }
            List<String> missing = new ArrayList<>();
            for (LineSpec s : ex.getValue()) {
                if (!s.required()) {
                    continue;
                }
                Map<String, Object> hit = lines.stream().filter(l -> matches(s, l)).findFirst().orElse(null);
                if (hit != null) {
                    lines.remove(hit);
                } else {
                    missing.add(String.join("|", s.rules()) + " " + String.join("|", s.actions()));
                }
            }
            for (LineSpec s : ex.getValue()) {
                if (!s.required()) {
                    lines.stream().filter(l -> matches(s, l)).findFirst().ifPresent(lines::remove);
                }
            }
            for (String m : missing) {
                mm.add(new Mismatch(call, "log: missing line (" + m + ")", ex.getKey()));
            }
            for (Map<String, Object> l : lines) {
                mm.add(new Mismatch(call, "log: unexpected line (" + l.get("rule") + " " + l.get("action") + ")",
                        ex.getKey() + " [" + l.get("detail") + "]"));
            }
        }
    }

    private static boolean matches(LineSpec s, Map<String, Object> line) {
        return s.rules().contains(String.valueOf(line.get("rule"))) && s.actions().contains(String.valueOf(line.get("action")));
    }

    private static String pathOf(String url) {
        try {
            return URI.create(url).getRawPath();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- the rules

    /** What none did at each 301/302/303/307/308 hop of a chain, against the rules. */
    private List<HopEval> evaluate(Plan.Call c, List<Recorded> chain) {
        List<HopEval> out = new ArrayList<>();
        for (int i = 1; i <= chain.size(); i++) {
            Recorded p = chain.get(i - 1);
            if (!isRuleRedirect(p)) {
                continue;
            }
            Hop hop = hopOf(p);
            Recorded n = i < chain.size() ? chain.get(i) : null;
            boolean followed = n != null && n.path().equals(pathOf(hop.to()));
            Set<String> broken = new java.util.TreeSet<>();
            Decision d = decide(hop, c);
            if (d == Decision.REFUSE_DOWNGRADE) {
                if (followed) {
                    broken.add(NO_HTTPS_DOWNGRADE);
                }
            } else if (d == Decision.REFUSE_STREAMED) {
                if (followed) {
                    broken.add(statusRule(hop.status()));
                }
            } else if (!followed) {
                if (!jdkOwnStop(hop, c)) {
                    broken.add(statusRule(hop.status()));
                }
            } else {
                String method = rulesMethod(hop.status(), p.method());
                boolean keep = keepsBody(hop.status(), p.method());
                if (!n.method().equals(method) || !n.bodyText().equals(keep ? p.bodyText() : "")
                        || !Wire.bodyHeaders(n).equals(keep ? Wire.bodyHeaders(p) : List.of())) {
                    broken.add(statusRule(hop.status()));
                }
                if (hop.sameOrigin()) {
                    if ((Wire.hasCallerAuthorization(p, c) && !Wire.hasCallerAuthorization(n, c))
                            || (Wire.hasCallerCookie(p, c) && !Wire.hasCallerCookie(n, c))
                            || (Wire.hasCallerCustom(p, c) && !Wire.hasCallerCustom(n, c))) {
                        broken.add(SAME_ORIGIN_HEADERS);
                    }
                } else if (Wire.hasCallerAuthorization(n, c) || Wire.hasCallerCookie(n, c)) {
                    broken.add(CROSS_ORIGIN_STRIP);
                }
            }
            out.add(new HopEval(hop, followed, broken, d == Decision.REFUSE_STREAMED));
        }
        return out;
    }

    private Decision decide(Hop hop, Plan.Call c) {
        if (hop.downgrade()) {
            return Decision.REFUSE_DOWNGRADE;
        }
        if (huc && hop.schemeChange()) {
            return Decision.FOLLOW; // HttpURLConnection never follows a scheme change: see jdkOwnStop
        }
        boolean needsBody = keepsBody(hop.status(), hop.p().method()) && hop.p().body().length > 0;
        if (huc && c.streamed() && needsBody) {
            return Decision.REFUSE_STREAMED;
        }
        return Decision.FOLLOW;
    }

    /**
     * An HttpClient call that ended where none did not follow a hop: cancelled, timed out, or stopped
     * by the JDK's attempt limit ("Too many retries": redirects and authentication retries count
     * together), each of which can come between the JDK building the redirect's request, where the
     * hop is judged and logged, and that request reaching the wire. A line may or may not be there
     * (README, Known limits).
     */
    private boolean endedBeforeTheWire(Plan.Call c, HopEval none, Map<String, Object> noneOutcome) {
        if (huc || none.followed()) {
            return false;
        }
        boolean retryLimit = noneOutcome != null && ("Too many retries".equals(noneOutcome.get("message"))
                || "Too many retries".equals(noneOutcome.get("causeMessage")));
        return retryLimit || c.invocation().equals("cancel") || c.timeoutMillis() > 0;
    }

    /**
     * Why the JDK alone may not follow a hop the rules follow, without breaking a rule: its
     * redirect limit, and HttpURLConnection's refusal of any scheme change. A 308 that
     * HttpURLConnection returns and a streamed body it refuses though none is needed are rule
     * breaks, not reasons.
     */
    private boolean jdkOwnStop(Hop hop, Plan.Call c) {
        if (!huc) {
            return true;
        }
        if (hop.schemeChange()) {
            return true;
        }
        return hop.status() != 308 && !c.streamed();
    }

    private static String rulesOf(Decision d, Hop hop) {
        return d == Decision.REFUSE_DOWNGRADE ? NO_HTTPS_DOWNGRADE : STREAMED_BODY;
    }

    static String statusRule(int status) {
        return switch (status) {
            case 303 -> GET_AFTER_303;
            case 307, 308 -> SAME_METHOD;
            default -> POST_AFTER_301_302;
        };
    }

    /** RFC 9110 15.4.2-15.4.9, with legacyPostRedirect=get (the default). */
    static String rulesMethod(int status, String method) {
        return switch (status) {
            case 303 -> method.equals("HEAD") ? "HEAD" : "GET";
            case 301, 302 -> method.equals("POST") ? "GET" : method;
            default -> method;
        };
    }

    /** The body (and its headers) goes again exactly when the method is kept, never after 303. */
    static boolean keepsBody(int status, String method) {
        return status != 303 && rulesMethod(status, method).equals(method);
    }

    static boolean isRuleRedirect(Recorded r) {
        return (r.answer() == 301 || r.answer() == 302 || r.answer() == 303 || r.answer() == 307 || r.answer() == 308)
                && r.location() != null;
    }

    /** The next request, if any, is the JDK's own business: an authentication retry, a resend, a 300/305. */
    private static boolean jdkGoverned(Recorded r) {
        return r.answer() == 401 || r.answer() == 407 || r.answer() == Recorded.DROPPED
                || ((r.answer() == 300 || r.answer() == 305) && r.location() != null)
                || (r.answer() >= 301 && r.answer() <= 308 && r.location() == null);
    }

    private Hop hopOf(Recorded p) {
        URI from = URI.create(Wire.url(p));
        URI to = URI.create(p.location());
        boolean same = from.getScheme().equalsIgnoreCase(to.getScheme()) && from.getHost().equalsIgnoreCase(to.getHost())
                && from.getPort() == to.getPort();
        return new Hop(p, p.answer(), Wire.url(p), p.location().toLowerCase(Locale.ROOT), same,
                from.getScheme().equals("https") && to.getScheme().equals("http"),
                !from.getScheme().equalsIgnoreCase(to.getScheme()));
    }

    // ---------------------------------------------------------------- comparisons

    /**
     * {@code p} changed as none's request changed from {@code nPrev} to {@code nNext}; the JDK's
     * cached credentials left out of all three.
     */
    private static String applyDelta(Recorded nPrev, Recorded nNext, Recorded p, Plan.Call c) {
        String method = nPrev.method().equals(nNext.method()) ? p.method() : nNext.method();
        String target = nPrev.target().equals(nNext.target()) ? p.target() : nNext.target();
        String body = nPrev.bodyText().equals(nNext.bodyText()) ? p.bodyText() : nNext.bodyText();
        List<String> lines = new ArrayList<>(Wire.linesWithoutJdkCredentials(p, c));
        List<String> removed = new ArrayList<>(Wire.linesWithoutJdkCredentials(nPrev, c));
        Wire.linesWithoutJdkCredentials(nNext, c).forEach(removed::remove);
        List<String> added = new ArrayList<>(Wire.linesWithoutJdkCredentials(nNext, c));
        Wire.linesWithoutJdkCredentials(nPrev, c).forEach(added::remove);
        removed.forEach(lines::remove);
        lines.addAll(added);
        Collections.sort(lines);
        return method + " " + target + " " + lines + " body=" + body;
    }

    private static String canonical(Recorded r, Plan.Call c) {
        List<String> lines = Wire.linesWithoutJdkCredentials(r, c);
        return r.method() + " " + r.target() + " " + lines + " body=" + r.bodyText();
    }

    private void compareOutcomes(List<Mismatch> mm, Plan.Call c, String kind, Map<String, Object> want, Map<String, Object> got) {
        Map<String, Object> w = normalized(want);
        Map<String, Object> g = normalized(got);
        if (!w.equals(g)) {
            mm.add(new Mismatch(c.id(), kind, "none " + w + "\n        this " + g));
        }
    }

    private static final Pattern NUMBER = Pattern.compile("\\b\\d{4,5}\\b");
    private static final Pattern HASH = Pattern.compile("@[0-9a-f]{4,}");

    /**
     * An outcome without its timing, messages with every number that could be a port of a client
     * socket replaced (the servers' ports stay: they are the same in every run), object hashes removed.
     */
    private Map<String, Object> normalized(Map<String, Object> outcome) {
        Map<String, Object> out = new TreeMap<>();
        if (outcome == null) {
            return out;
        }
        if ("java.util.concurrent.CancellationException".equals(outcome.get("error"))) {
            // Whether the future or the exchange notices the cancel first is thread timing: the
            // message and cause vary from run to run (no agent too); the class and status do not.
            out.put("error", outcome.get("error"));
            out.put("cancelled", outcome.get("cancelled"));
            return out;
        }
        // A timeout's cause is whatever the JDK's connection was doing when the timer fired (JDK 27:
        // sometimes ConnectionExpiredException, sometimes none): thread timing, not compared.
        boolean timeout = "java.net.http.HttpTimeoutException".equals(outcome.get("error"));
        outcome.forEach((k, v) -> {
            if (k.equals("millis") || k.equals("call") || (timeout && (k.equals("cause") || k.equals("causeMessage")))) {
                return;
            }
            if (v instanceof String s && k.toLowerCase(Locale.ROOT).endsWith("message")) {
                Matcher m = NUMBER.matcher(HASH.matcher(s).replaceAll("@"));
                StringBuilder sb = new StringBuilder();
                while (m.find()) {
                    m.appendReplacement(sb, serverPorts.contains(Integer.parseInt(m.group())) ? m.group() : "<n>");
                }
                m.appendTail(sb);
                v = sb.toString();
            }
            out.put(k, v);
        });
        return out;
    }

    private static void check(List<Mismatch> mm, Plan.Call c, String kind, String what, Object expected, Object actual) {
        if (!Objects.equals(expected, actual)) {
            mm.add(new Mismatch(c.id(), kind, "expected " + expected + ", got " + actual + "\n        " + what));
        }
    }

    private static String show(Recorded r) {
        return r == null ? "(none)" : r.wire() + " => " + r.answerText();
    }
}
