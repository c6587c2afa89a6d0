package dev.redirectguard.rules;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RedirectRulesTest {
    private static final Target A = Target.of("http", "127.0.0.1", 8080, "/start");
    private static final Target A2 = Target.of("http", "127.0.0.1", 8080, "/next");
    private static final Target B = Target.of("http", "127.0.0.1", 9090, "/next");
    private static final RedirectPolicy GET = policy(RedirectPolicy.LegacyPostRedirect.GET, "Authorization", "Cookie");
    private static final RedirectPolicy PRESERVE =
            policy(RedirectPolicy.LegacyPostRedirect.PRESERVE, "Authorization", "Cookie");
    private static final List<String> CALLER = List.of("Authorization", "Cookie", "X-Custom", "Content-Type");

    static RedirectPolicy policy(RedirectPolicy.LegacyPostRedirect legacy, String... strip) {
        return new RedirectPolicy(legacy, new LinkedHashSet<>(List.of(strip)));
    }

    static Hop hop(int status, String method, BodyKind body, Target to) {
        return new Hop(status, method, body, A, to, CALLER);
    }

    /**
     * Every hop that repeatedAsIs calls the request once more breaks no rule: each method, with and
     * without a body, over every subset of a header list with credentials and body headers, to the
     * same origin over either scheme, under either policy.
     */
    @Test
    void aHopRepeatedAsIsBreaksNoRule() {
        List<String> names = List.of("Authorization", "Cookie", "Content-Type", "Content-Encoding", "X-Custom");
        int checked = 0;
        for (RedirectPolicy policy : List.of(GET, PRESERVE)) {
            for (int status : new int[] {307, 308}) {
                for (String method : List.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH")) {
                    for (boolean body : new boolean[] {false, true}) {
                        for (int mask = 0; mask < 1 << names.size(); mask++) {
                            List<String> headers = new ArrayList<>();
                            boolean bodyHeaders = false;
                            for (int i = 0; i < names.size(); i++) {
                                if ((mask & 1 << i) != 0) {
                                    headers.add(names.get(i));
                                    bodyHeaders |= Headers.isBodyHeader(names.get(i));
                                }
                            }
                            for (Target[] ends : new Target[][] {{A, A2},
                                    {Target.of("https", "Example.org", -1, "/a"), Target.of("HTTPS", "example.org", 443, "/b")}}) {
                                assertTrue(RedirectRules.repeatedAsIs(status, ends[0].sameOrigin(ends[1]), true, true, true));
                                Hop hop = new Hop(status, method, body ? BodyKind.BUFFERED : BodyKind.NONE, ends[0], ends[1],
                                        headers);
                                NextRequest next = NextRequest.follow(method, body, bodyHeaders, headers);
                                assertEquals(List.of(), RedirectRules.violations(hop, next, policy),
                                        status + " " + method + " body=" + body + " " + headers);
                                checked++;
                            }
                        }
                    }
                }
            }
        }
        assertEquals(2 * 2 * 6 * 2 * 32 * 2, checked);
        // Anything else is for the rules to judge.
        assertFalse(RedirectRules.repeatedAsIs(303, true, true, true, true));
        assertFalse(RedirectRules.repeatedAsIs(302, true, true, true, true));
        assertFalse(RedirectRules.repeatedAsIs(307, false, true, true, true));
        assertFalse(RedirectRules.repeatedAsIs(308, true, false, true, true));
        assertFalse(RedirectRules.repeatedAsIs(307, true, true, false, true));
        assertFalse(RedirectRules.repeatedAsIs(308, true, true, true, false));
    }

    /**
     * A request canBreakRule clears: every hop it can make, to any origin over either scheme but
     * https -> http, by a client that keeps the GET and the caller's headers, breaks no rule, under
     * either policy.
     */
    @Test
    void aRequestThatCannotBreakARuleHasNoHopThatDoes() {
        List<String> headers = List.of("X-Custom", "Accept", "If-None-Match");
        for (RedirectPolicy policy : List.of(GET, PRESERVE)) {
            assertFalse(RedirectRules.canBreakRule("GET", false, headers, false, policy));
            for (int status : new int[] {301, 302, 303, 307, 308}) {
                for (Target from : List.of(A, Target.of("https", "127.0.0.1", 8443, "/start"))) {
                    for (Target to : List.of(A2, B, Target.of("https", "127.0.0.1", 9443, "/next"),
                            Target.of("http", "127.0.0.1", 8443, "/next"))) {
                        Hop hop = new Hop(status, "GET", BodyKind.NONE, from, to, headers);
                        if (hop.downgrade()) {
                            continue; // the client does not follow it
                        }
                        NextRequest jdk = NextRequest.follow("GET", false, false, headers);
                        assertEquals(List.of(), RedirectRules.violations(hop, jdk, policy), status + " " + from + " -> " + to);
                    }
                }
            }
        }
    }

    @Test
    void everyOtherRequestCanBreakARule() {
        List<String> plain = List.of("X-Custom");
        assertTrue(RedirectRules.canBreakRule("HEAD", false, plain, false, GET), "HEAD -> 303 -> GET");
        assertTrue(RedirectRules.canBreakRule("POST", false, plain, false, GET));
        assertTrue(RedirectRules.canBreakRule("GET", true, plain, false, GET), "a GET with a body");
        assertTrue(RedirectRules.canBreakRule("GET", false, plain, true, GET), "a client that follows https -> http");
        assertTrue(RedirectRules.canBreakRule("GET", false, List.of("authorization"), false, GET));
        assertTrue(RedirectRules.canBreakRule("GET", false, List.of("Cookie"), false, GET));
        assertTrue(RedirectRules.canBreakRule("GET", false, List.of("Content-Type"), false, GET), "a body header");
        assertTrue(RedirectRules.canBreakRule("GET", false, List.of("X-Secret"), false, policy(RedirectPolicy.LegacyPostRedirect.GET, "X-Secret")),
                "a header the settings add to the strip list");
        assertFalse(RedirectRules.canBreakRule("GET", false, List.of("X-Secret"), false, GET));
    }

    /** Every status x method x body kind x origin: the expected next request, written out from RFC 9110. */
    static Stream<Arguments> table() {
        List<Arguments> rows = new ArrayList<>();
        for (int status : new int[] {301, 302, 303, 307, 308}) {
            for (String method : List.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH")) {
                for (BodyKind body : BodyKind.values()) {
                    for (boolean same : new boolean[] {true, false}) {
                        rows.add(Arguments.of(status, method, body, same));
                    }
                }
            }
        }
        return rows.stream();
    }

    @ParameterizedTest(name = "{0} {1} {2} sameOrigin={3}")
    @MethodSource("table")
    void expectedNextRequest(int status, String method, BodyKind body, boolean sameOrigin) {
        NextRequest next = RedirectRules.expected(hop(status, method, body, sameOrigin ? A2 : B), GET);
        String method2;
        boolean keepBody;
        if (status == 303) {
            method2 = method.equals("HEAD") ? "HEAD" : "GET";
            keepBody = false;
        } else if ((status == 301 || status == 302) && method.equals("POST")) {
            method2 = "GET";
            keepBody = false;
        } else {
            method2 = method;
            keepBody = body != BodyKind.NONE;
        }
        if (keepBody && body == BodyKind.STREAMED) {
            assertFalse(next.follows());
            assertEquals(NextRequest.Stop.RETRY_EXCEPTION, next.stop());
            return;
        }
        assertTrue(next.follows());
        assertEquals(method2, next.method());
        assertEquals(keepBody, next.body());
        // The body headers go with a repeated request (same method, not 303), body or none.
        assertEquals(status != 303 && method2.equals(method), next.bodyHeaders());
        Set<String> headers = sameOrigin ? Set.of("authorization", "cookie", "x-custom") : Set.of("x-custom");
        assertEquals(headers, next.headers());
        assertTrue(RedirectRules.violations(hop(status, method, body, sameOrigin ? A2 : B), next, GET).isEmpty(),
                "the expected request breaks no rule");
    }

    @Test
    void preserveKeepsPostAndBodyOn301And302() {
        for (int status : new int[] {301, 302}) {
            NextRequest next = RedirectRules.expected(hop(status, "POST", BodyKind.BUFFERED, A2), PRESERVE);
            assertEquals("POST", next.method());
            assertTrue(next.body());
        }
        assertEquals("GET", RedirectRules.expected(hop(303, "POST", BodyKind.BUFFERED, A2), PRESERVE).method());
    }

    @Test
    void httpUrlConnectionDroppingHeadersOnPostToGetBreaksSameOriginRule() {
        Hop h = hop(302, "POST", BodyKind.BUFFERED, A2);
        List<Violation> v = RedirectRules.violations(h, NextRequest.follow("GET", false, false, List.of()), GET);
        assertEquals(1, v.size());
        assertEquals(Rule.SAME_ORIGIN_HEADERS, v.get(0).rule());
        assertEquals("caller headers dropped: authorization cookie x-custom", v.get(0).detail());
    }

    @Test
    void headerNamesInDetailsAreSortedWhateverTheJdkOrder() {
        Hop h = new Hop(303, "POST", BodyKind.BUFFERED, A, A2, List.of("X-Custom", "Cookie", "Authorization"));
        List<Violation> v = RedirectRules.violations(h, NextRequest.follow("GET", false, false, List.of()), GET);
        assertEquals("caller headers dropped: authorization cookie x-custom", v.get(0).detail());
    }

    @Test
    void bodyResentWithGetBreaksTheStatusRule() {
        Hop h = hop(302, "POST", BodyKind.BUFFERED, A2);
        List<Violation> v = RedirectRules.violations(h,
                NextRequest.follow("GET", true, true, List.of("authorization", "cookie", "x-custom")), GET);
        assertEquals(1, v.size());
        assertEquals(Rule.POST_AFTER_301_302, v.get(0).rule());
        assertEquals("body sent again, body headers sent without the body", v.get(0).detail());
    }

    @Test
    void headAfter303BecomingGetBreaksGetAfter303() {
        Hop h = hop(303, "HEAD", BodyKind.NONE, A2);
        List<Violation> v = RedirectRules.violations(h,
                NextRequest.follow("GET", false, false, List.of("authorization", "cookie", "x-custom")), GET);
        assertEquals(Rule.GET_AFTER_303, v.get(0).rule());
        assertEquals("method GET instead of HEAD", v.get(0).detail());
    }

    @Test
    void credentialsToAnotherOriginBreakCrossOriginStrip() {
        Hop h = hop(307, "POST", BodyKind.BUFFERED, B);
        List<Violation> v = RedirectRules.violations(h,
                NextRequest.follow("POST", true, true, List.of("Authorization", "Cookie", "X-Custom")), GET);
        assertEquals(1, v.size());
        assertEquals(Rule.CROSS_ORIGIN_STRIP, v.get(0).rule());
        assertEquals("sent to another origin: authorization cookie", v.get(0).detail());
    }

    @Test
    void customStripListIsHonoured() {
        RedirectPolicy strict = policy(RedirectPolicy.LegacyPostRedirect.GET, "Authorization", "Cookie", "X-Custom");
        Hop h = hop(307, "PUT", BodyKind.BUFFERED, B);
        assertEquals(Set.of(), RedirectRules.expected(h, strict).headers());
        List<Violation> v = RedirectRules.violations(h, NextRequest.follow("PUT", true, true, List.of("x-custom")),
                strict);
        assertEquals(Rule.CROSS_ORIGIN_STRIP, v.get(0).rule());
    }

    @Test
    void unfollowed308BreaksRuleOne() {
        List<Violation> v = RedirectRules.violations(hop(308, "POST", BodyKind.BUFFERED, A2), NextRequest.returned(),
                GET);
        assertEquals(Rule.SAME_METHOD_307_308, v.get(0).rule());
        assertEquals("308 not followed (none: 3xx returned)", v.get(0).detail());
    }

    @Test
    void aStreamedBodyThatMustBeReplayedAndIsNotBreaksNoRule() {
        // The rules cannot follow it either: HttpRetryException is what they ask; nothing differs on the wire.
        assertTrue(RedirectRules.violations(hop(307, "PUT", BodyKind.STREAMED, A2), NextRequest.retryException(), GET)
                .isEmpty());
        assertTrue(RedirectRules.violations(hop(308, "PUT", BodyKind.STREAMED, A2), NextRequest.returned(), GET)
                .isEmpty());
    }

    @Test
    void bodyHeadersThatWereNeverSetCannotBeDropped() {
        // HttpClient: a 307 that keeps a body for which the caller set no Content-Type.
        Hop noContentType = new Hop(307, "POST", BodyKind.BUFFERED, A, A2, List.of("Authorization"));
        assertTrue(RedirectRules.violations(noContentType,
                NextRequest.follow("POST", true, false, List.of("authorization")), GET).isEmpty());
        Hop withContentType = new Hop(307, "POST", BodyKind.BUFFERED, A, A2, List.of("Authorization", "Content-Type"));
        assertEquals("body headers dropped", RedirectRules.violations(withContentType,
                NextRequest.follow("POST", true, false, List.of("authorization")), GET).get(0).detail());
    }

    @Test
    void streamedBodyNotNeededButRefusedBreaksTheStatusRule() {
        List<Violation> v = RedirectRules.violations(hop(303, "PUT", BodyKind.STREAMED, A2),
                NextRequest.retryException(), GET);
        assertEquals(Rule.GET_AFTER_303, v.get(0).rule());
        assertEquals("303 not followed (none: HttpRetryException)", v.get(0).detail());
    }

    @Test
    void httpsToHttpIsNeverFollowed() {
        Hop h = new Hop(302, "GET", BodyKind.NONE, Target.of("https", "example.org", -1, "/"),
                Target.of("http", "example.org", -1, "/"), List.of());
        assertFalse(RedirectRules.expected(h, GET).follows());
        assertEquals(Rule.NO_HTTPS_DOWNGRADE,
                RedirectRules.violations(h, NextRequest.follow("GET", false, false, List.of()), GET).get(0).rule());
        assertTrue(RedirectRules.violations(h, NextRequest.returned(), GET).isEmpty());
    }

    @Test
    void onlyTheFiveRedirectStatusesAreRedirects() {
        for (int s = 300; s < 400; s++) {
            assertEquals(s == 301 || s == 302 || s == 303 || s == 307 || s == 308, RedirectRules.isRedirect(s));
        }
    }

    @Test
    void ruleIdsAreStable() {
        List<String> ids = new ArrayList<>();
        for (Rule r : Rule.values()) {
            ids.add(r.id());
        }
        assertEquals(List.of("same-method-307-308", "get-after-303", "post-after-301-302", "same-origin-headers",
                "cross-origin-strip", "no-https-downgrade", "streamed-body"), ids);
    }
}
