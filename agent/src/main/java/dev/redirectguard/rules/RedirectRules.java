package dev.redirectguard.rules;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The RFC 9110 redirect rules as pure functions: what the next request of a hop must be, and
 * which rules a client's actual next request breaks.
 */
public final class RedirectRules {
    private RedirectRules() {
    }

    public static boolean isRedirect(int status) {
        return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
    }

    /**
     * Whether a redirect of a request sent this way can break a rule, by any client that keeps a
     * GET a GET and sends the caller's headers on: false only for a GET without a body whose caller
     * set no header that a rule moves (a body header, a header on the cross-origin strip list), on
     * a client that does not follow https to http. Every hop of such a request is then a GET of the
     * same headers, which is what the rules ask, whatever the status and the target.
     */
    public static boolean canBreakRule(String method, boolean body, Iterable<String> callerHeaders,
                                       boolean followsDowngrade, RedirectPolicy policy) {
        if (!"GET".equals(method) || body || followsDowngrade) {
            return true;
        }
        for (String name : callerHeaders) {
            if (Headers.isBodyHeader(name) || policy.strips(name)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether a hop's next request is the redirected request once more: a 307 or 308 to the same
     * origin, followed with the same method, a (replayable) body exactly when there was one, and
     * the same header names. {@link #violations} finds nothing in such a hop under any policy, so
     * an adapter that can tell this from the client's own objects skips building the hop: it is
     * the common compliant hop, and it should cost next to nothing.
     */
    public static boolean repeatedAsIs(int status, boolean sameOrigin, boolean sameMethod, boolean sameBody,
                                       boolean sameHeaderNames) {
        return (status == 307 || status == 308) && sameOrigin && sameMethod && sameBody && sameHeaderNames;
    }

    /** The next request the rules ask for. */
    public static NextRequest expected(Hop hop, RedirectPolicy policy) {
        if (hop.downgrade()) {
            return NextRequest.returned();
        }
        String method = expectedMethod(hop.status(), hop.method(), policy);
        // The request is repeated (its body, if any, and its body headers, even without a body)
        // exactly when the method is kept, except after 303.
        boolean repeated = hop.status() != 303 && method.equals(hop.method());
        boolean keepBody = repeated && hop.body() != BodyKind.NONE;
        if (keepBody && hop.body() == BodyKind.STREAMED) {
            return NextRequest.retryException();
        }
        return NextRequest.follow(method, keepBody, repeated, headersToSend(hop, policy));
    }

    /** The method of the next request. */
    public static String expectedMethod(int status, String method, RedirectPolicy policy) {
        switch (status) {
            case 303:
                return "HEAD".equals(method) ? "HEAD" : "GET";
            case 301:
            case 302:
                return "POST".equals(method) && policy.legacyPostRedirect() == RedirectPolicy.LegacyPostRedirect.GET
                        ? "GET" : method;
            default:
                return method;
        }
    }

    /** The caller's headers that go with the next request: all of them, less the strip list on another origin. */
    static Set<String> headersToSend(Hop hop, RedirectPolicy policy) {
        if (hop.sameOrigin()) {
            return hop.callerHeaders();
        }
        Set<String> kept = new LinkedHashSet<String>();
        for (String name : hop.callerHeaders()) {
            if (!policy.strips(name)) {
                kept.add(name);
            }
        }
        return kept;
    }

    /** The rules that {@code actual} breaks for this hop; empty when it does what {@link #expected} says. */
    public static List<Violation> violations(Hop hop, NextRequest actual, RedirectPolicy policy) {
        NextRequest expected = expected(hop, policy);
        Rule statusRule = Rule.forStatus(hop.status());
        if (!expected.follows()) {
            if (hop.downgrade()) {
                return actual.follows()
                        ? one(Rule.NO_HTTPS_DOWNGRADE, "https to http followed")
                        : Collections.<Violation>emptyList();
            }
            // A streamed body that the rules need again: no client can replay it, and not following
            // is what the rules ask (HttpURLConnection's HttpRetryException): nothing differs on the wire.
            return actual.follows()
                    ? one(statusRule, "streamed body followed without being replayed")
                    : Collections.<Violation>emptyList();
        }
        if (!actual.follows()) {
            return one(statusRule, hop.status() + " not followed (" + actual.describe() + ")");
        }
        List<Violation> found = new ArrayList<Violation>();
        List<String> wrong = new ArrayList<String>();
        if (!expected.method().equals(actual.method())) {
            wrong.add("method " + actual.method() + " instead of " + expected.method());
        }
        if (expected.body() != actual.body()) {
            wrong.add(actual.body() ? "body sent again" : "body dropped");
        }
        // Only body headers that exist can be kept or dropped: a body sent without any (no
        // Content-Type set) is the same on the wire either way.
        if (expected.bodyHeaders() != actual.bodyHeaders() && !hop.callerBodyHeaders().isEmpty()) {
            wrong.add(actual.bodyHeaders() ? "body headers sent without the body" : "body headers dropped");
        }
        if (!wrong.isEmpty()) {
            found.add(new Violation(statusRule, join(wrong)));
        }
        if (hop.sameOrigin()) {
            Set<String> lost = new LinkedHashSet<String>(expected.headers());
            lost.removeAll(actual.headers());
            if (!lost.isEmpty()) {
                found.add(new Violation(Rule.SAME_ORIGIN_HEADERS, "caller headers dropped: " + names(lost)));
            }
        } else {
            Set<String> leaked = new LinkedHashSet<String>(actual.headers());
            leaked.retainAll(policy.stripOnCrossOrigin());
            if (!leaked.isEmpty()) {
                found.add(new Violation(Rule.CROSS_ORIGIN_STRIP, "sent to another origin: " + names(leaked)));
            }
        }
        return found;
    }

    /**
     * What is done about each broken rule of a hop: enforced, when {@code scope} is not null and
     * puts the rule in scope; else observed (with the scope's reason in an enforce JVM).
     *
     * @param scope null in audit; in enforce, which rules this hop enforces
     */
    public static List<Judgement> judge(List<Violation> violations, RuleScope scope) {
        List<Judgement> out = new ArrayList<Judgement>(violations.size());
        for (Violation v : violations) {
            String outOfScope = scope == null ? null : scope.outOfScope(v.rule());
            out.add(new Judgement(v, scope != null && outOfScope == null, outOfScope));
        }
        return out;
    }

    /** The rules whose violation {@code judgements} enforce. */
    public static Set<Rule> enforced(List<Judgement> judgements) {
        Set<Rule> rules = java.util.EnumSet.noneOf(Rule.class);
        for (Judgement j : judgements) {
            if (j.enforced()) {
                rules.add(j.violation().rule());
            }
        }
        return rules;
    }

    /**
     * The next request of a hop when only {@code enforced} rules are made true and the rest is
     * left as the client does it ({@code jdk}): method, body and body headers follow the status
     * rule; caller headers same-origin-headers (restored) and cross-origin-strip (removed); the
     * refusal of https to http no-https-downgrade; each applied or not on its own.
     */
    public static NextRequest compose(Hop hop, NextRequest jdk, RedirectPolicy policy, Set<Rule> enforced) {
        NextRequest expected = expected(hop, policy);
        Rule statusRule = Rule.forStatus(hop.status());
        if (hop.downgrade()) {
            return enforced.contains(Rule.NO_HTTPS_DOWNGRADE) ? NextRequest.returned() : jdk;
        }
        NextRequest base = enforced.contains(statusRule) ? expected : jdk;
        if (!base.follows()) {
            return base;
        }
        Set<String> headers = new LinkedHashSet<String>(jdk.follows() ? jdk.headers() : expected.headers());
        if (hop.sameOrigin() && enforced.contains(Rule.SAME_ORIGIN_HEADERS)) {
            headers.addAll(expected.headers());
        }
        if (!hop.sameOrigin() && enforced.contains(Rule.CROSS_ORIGIN_STRIP)) {
            headers.removeAll(policy.stripOnCrossOrigin());
        }
        return NextRequest.follow(base.method(), base.body(), base.bodyHeaders(), headers);
    }

    private static List<Violation> one(Rule rule, String detail) {
        return Collections.singletonList(new Violation(rule, detail));
    }

    private static String join(List<String> parts) {
        StringBuilder b = new StringBuilder();
        for (String p : parts) {
            b.append(b.length() == 0 ? "" : ", ").append(p);
        }
        return b.toString();
    }

    /** Header names only, never values; sorted, so that lines compare across JDKs and runs. */
    private static String names(Set<String> lowerCaseNames) {
        StringBuilder b = new StringBuilder();
        for (String n : new java.util.TreeSet<String>(lowerCaseNames)) {
            b.append(b.length() == 0 ? "" : " ").append(n);
        }
        return b.toString();
    }
}
