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

    /** The next request the rules ask for. */
    public static NextRequest expected(Hop hop, RedirectPolicy policy) {
        if (hop.downgrade()) {
            return NextRequest.returned();
        }
        String method = expectedMethod(hop.status(), hop.method(), policy);
        // The body goes again exactly when the method is kept, except after 303.
        boolean keepBody = hop.body() != BodyKind.NONE && hop.status() != 303 && method.equals(hop.method());
        if (keepBody && hop.body() == BodyKind.STREAMED) {
            return NextRequest.retryException();
        }
        return NextRequest.follow(method, keepBody, keepBody, headersToSend(hop, policy));
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
            // A streamed body that the rules need again: no client can replay it. Always worth a line.
            return actual.follows()
                    ? one(statusRule, "streamed body followed without being replayed")
                    : one(Rule.STREAMED_BODY, hop.status() + " needs the streamed " + hop.method() + " body again");
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
        if (expected.bodyHeaders() != actual.bodyHeaders()) {
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
