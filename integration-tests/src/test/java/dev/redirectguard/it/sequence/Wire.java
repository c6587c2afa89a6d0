package dev.redirectguard.it.sequence;

import dev.redirectguard.it.child.sequence.SeqPlan;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * How the oracle reads a recorded request: which header lines are the caller's own (by the
 * values the plan gave the call), which describe the body, which frame it, which are credentials
 * or cookies the JDK added itself, and which are the JDK's own lines (User-Agent, Host...).
 */
final class Wire {
    private Wire() {
    }

    static final Set<String> FRAMING = Set.of("content-length", "transfer-encoding");

    /** RFC 9110 15.4 step 5: the content-specific headers, which go when the body goes. */
    static boolean isBodyHeader(String lowerName) {
        return (lowerName.startsWith("content-") && !lowerName.equals("content-length")) || lowerName.equals("digest")
                || lowerName.equals("last-modified");
    }

    /** "name: value" lines with lower-case names, sorted: a header multimap compared without order. */
    static List<String> lines(Recorded r, java.util.function.Predicate<String> nameFilter) {
        return headerLines(r, h -> nameFilter.test(h.lowerName()));
    }

    private static List<String> headerLines(Recorded r, java.util.function.Predicate<Recorded.Header> keep) {
        List<String> out = new ArrayList<>();
        for (Recorded.Header h : r.headers()) {
            if (keep.test(h)) {
                out.add(h.lowerName() + ": " + h.value());
            }
        }
        Collections.sort(out);
        return out;
    }

    static List<String> bodyHeaders(Recorded r) {
        return lines(r, Wire::isBodyHeader);
    }

    static List<String> framing(Recorded r) {
        return lines(r, FRAMING::contains);
    }

    /** Cookie pairs (name=value), every Cookie line split at ';', sorted. */
    static List<String> cookiePairs(Recorded r) {
        List<String> pairs = new ArrayList<>();
        for (String v : r.values("Cookie")) {
            for (String p : v.split(";")) {
                if (!p.isBlank()) {
                    pairs.add(p.trim());
                }
            }
        }
        Collections.sort(pairs);
        return pairs;
    }

    static String callerAuthorization(Plan.Call c) {
        return c.headers().contains("auth") ? SeqPlan.authorization(c.id()) : null;
    }

    static String callerCookie(Plan.Call c) {
        return c.headers().contains("cookie") ? SeqPlan.cookie(c.id()) : null;
    }

    static String callerCustom(Plan.Call c) {
        return c.headers().contains("custom") ? SeqPlan.custom(c.id()) : null;
    }

    static boolean hasCallerAuthorization(Recorded r, Plan.Call c) {
        return callerAuthorization(c) != null && r.values("Authorization").contains(callerAuthorization(c));
    }

    static boolean hasCallerCookie(Recorded r, Plan.Call c) {
        return callerCookie(c) != null && cookiePairs(r).contains(callerCookie(c));
    }

    static boolean hasCallerCustom(Recorded r, Plan.Call c) {
        return callerCustom(c) != null && r.values("X-Custom").contains(callerCustom(c));
    }

    /** Authorization values the JDK added (its Authenticator, its cache): every one that is not the caller's. */
    static List<String> jdkAuthorization(Recorded r, Plan.Call c) {
        List<String> v = new ArrayList<>(r.values("Authorization"));
        v.remove(callerAuthorization(c));
        return v;
    }

    /** Cookie pairs the JDK added (its CookieHandler): every pair that is not the caller's. */
    static List<String> jdkCookies(Recorded r, Plan.Call c) {
        List<String> v = new ArrayList<>(cookiePairs(r));
        v.remove(callerCookie(c));
        return v;
    }

    /** The JDK's own lines: everything but body, framing, credentials, cookies and the caller's X-Custom. */
    static List<String> jdkLines(Recorded r) {
        return lines(r, n -> !isBodyHeader(n) && !FRAMING.contains(n) && !n.equals("authorization")
                && !n.equals("proxy-authorization") && !n.equals("cookie") && !n.equals("x-custom"));
    }

    /** The request's URL (scheme://host:port/path), as a log line's from names it. */
    static String url(Recorded r) {
        return r.origin().toLowerCase(Locale.ROOT) + r.path();
    }

    /** Same method, body, body headers and caller headers: the JDK alone would treat both alike. */
    static boolean ruleEquivalent(Recorded a, Recorded b, Plan.Call c) {
        return a.method().equals(b.method()) && a.bodyText().equals(b.bodyText())
                && bodyHeaders(a).equals(bodyHeaders(b))
                && hasCallerAuthorization(a, c) == hasCallerAuthorization(b, c)
                && hasCallerCookie(a, c) == hasCallerCookie(b, c)
                && hasCallerCustom(a, c) == hasCallerCustom(b, c);
    }

    /** Header lines as a sorted multiset of "name: value" with lower-case names. */
    static List<String> allLines(Recorded r) {
        return lines(r, n -> true);
    }

    /**
     * {@link #allLines} less the JDK's cached credentials (Proxy-Authorization, an Authorization that
     * is not the caller's): what its caches hold depends on which hops a run followed, not on a rule.
     */
    static List<String> linesWithoutJdkCredentials(Recorded r, Plan.Call c) {
        String caller = callerAuthorization(c);
        return headerLines(r, h -> !isJdkCredential(h, caller));
    }

    /**
     * A credential the JDK added from its own caches: an Authorization that is not the caller's, a
     * Proxy-Authorization always (no caller sets one).
     */
    static boolean isJdkCredential(Recorded.Header h, String callerAuthorization) {
        return h.lowerName().equals("proxy-authorization")
                || h.lowerName().equals("authorization") && !h.value().equals(callerAuthorization);
    }
}
