package dev.redirectguard.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.redirectguard.cli.DoctorCase.Client;
import dev.redirectguard.cli.DoctorCase.Outcome;
import dev.redirectguard.cli.DoctorCase.Target;

import java.io.ByteArrayInputStream;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The doctor's own RFC 9110 expectations and findings, without any JVM or server. */
class DoctorRuleTest {
    private static final CallerValues CALLER = CallerValues.random();
    private static final Client U = Client.URL_CONNECTION;
    private static final Client H = Client.HTTP_CLIENT;

    @Test
    void expectationsFollowRfc9110() {
        // method, body, status, target -> outcome, next method, body kept
        assertExpected(U, "GET", "none", 308, Target.SAME_ORIGIN, Outcome.FOLLOW, "GET", false);
        assertExpected(U, "POST", "buffered", 308, Target.SAME_ORIGIN, Outcome.FOLLOW, "POST", true);
        assertExpected(U, "PUT", "buffered", 303, Target.SAME_ORIGIN, Outcome.FOLLOW, "GET", false);
        assertExpected(U, "HEAD", "none", 303, Target.SAME_ORIGIN, Outcome.FOLLOW, "HEAD", false);
        assertExpected(U, "PUT", "fixed", 303, Target.SAME_ORIGIN, Outcome.FOLLOW, "GET", false);
        assertExpected(U, "POST", "chunked", 301, Target.SAME_ORIGIN, Outcome.FOLLOW, "GET", false);
        assertExpected(U, "PUT", "buffered", 301, Target.SAME_ORIGIN, Outcome.FOLLOW, "PUT", true);
        assertExpected(U, "POST", "fixed", 307, Target.SAME_ORIGIN, Outcome.RETRY_EXCEPTION, "POST", true);
        assertExpected(U, "POST", "chunked", 308, Target.SAME_ORIGIN, Outcome.RETRY_EXCEPTION, "POST", true);
        assertExpected(H, "POST", "input-stream", 307, Target.SAME_ORIGIN, Outcome.FOLLOW, "POST", true);
        assertExpected(H, "POST", "string", 302, Target.OTHER_HOST, Outcome.FOLLOW, "GET", false);
        assertExpected(H, "GET", "none", 302, Target.HTTPS_TO_HTTP, Outcome.RETURNED, "GET", false);
    }

    @Test
    void everyCaseHasOneRuleForWhetherAndHowItIsFollowedAndFollowedOnesOneForHeaders() {
        List<DoctorCase> all = DoctorCase.all();
        assertEquals(all.size(), all.stream().map(c -> c.id).distinct().count(), "ids are unique");
        Set<DoctorRule> deciding = EnumSet.of(DoctorRule.SAME_METHOD_307_308, DoctorRule.GET_AFTER_303,
                DoctorRule.POST_AFTER_301_302, DoctorRule.NO_HTTPS_DOWNGRADE, DoctorRule.STREAMED_BODY);
        for (DoctorCase c : all) {
            assertEquals(1, deciding.stream().filter(r -> r.governs(c)).count(), c.label());
            long headerRules = EnumSet.of(DoctorRule.SAME_ORIGIN_HEADERS, DoctorRule.CROSS_ORIGIN_STRIP).stream()
                    .filter(r -> r.governs(c)).count();
            assertEquals(c.outcome() == Outcome.FOLLOW ? 1 : 0, headerRules, c.label());
        }
        for (DoctorRule rule : DoctorRule.values()) {
            for (Client client : Client.values()) {
                boolean some = all.stream().anyMatch(c -> c.client == client && rule.governs(c));
                // HttpClient's body publishers can send a body again: no streamed-body case for it.
                assertEquals(!(rule == DoctorRule.STREAMED_BODY && client == H), some, rule.id + " " + client);
            }
        }
    }

    @Test
    void findingsSayWhatWasWrongInAFewWords() {
        DoctorCase post308 = find(U, "POST", "buffered", 308, Target.SAME_ORIGIN);
        assertEquals("308 returned to the caller",
                DoctorRule.SAME_METHOD_307_308.problem(post308, observed("308"), CALLER));
        assertNull(DoctorRule.SAME_METHOD_307_308.problem(post308,
                observed("200", request("POST", CALLER.body, CallerValues.CONTENT_TYPE, true)), CALLER));

        DoctorCase hcPost303 = find(H, "POST", "string", 303, Target.SAME_ORIGIN);
        Observation getWithType = observed("200", request("GET", "", CallerValues.CONTENT_TYPE, true));
        assertEquals("GET with Content-Type", DoctorRule.GET_AFTER_303.problem(hcPost303, getWithType, CALLER));
        assertEquals("GET with body and Content-Type", DoctorRule.GET_AFTER_303.problem(hcPost303,
                observed("200", request("GET", CALLER.body, CallerValues.CONTENT_TYPE, true)), CALLER));
        assertNull(DoctorRule.SAME_ORIGIN_HEADERS.problem(hcPost303, getWithType, CALLER));

        DoctorCase hucPost302 = find(U, "POST", "buffered", 302, Target.SAME_ORIGIN);
        Observation bare = observed("200", request("GET", "", null, false));
        assertNull(DoctorRule.POST_AFTER_301_302.problem(hucPost302, bare, CALLER));
        assertEquals("GET without Authorization, Cookie, X-Custom",
                DoctorRule.SAME_ORIGIN_HEADERS.problem(hucPost302, bare, CALLER));

        DoctorCase crossHost = find(H, "GET", "none", 307, Target.OTHER_HOST);
        assertEquals("Authorization, Cookie sent to the other origin", DoctorRule.CROSS_ORIGIN_STRIP.problem(crossHost,
                observed("200", request("GET", "", null, true)), CALLER));
        assertNull(DoctorRule.CROSS_ORIGIN_STRIP.problem(crossHost, bare, CALLER), "X-Custom is not for the rules");

        DoctorCase downgrade = all(H).stream().filter(c -> c.always && c.method.equals("GET")).findFirst().orElseThrow();
        assertEquals("followed to http", DoctorRule.NO_HTTPS_DOWNGRADE.problem(downgrade, bare, CALLER));
        assertNull(DoctorRule.NO_HTTPS_DOWNGRADE.problem(downgrade, observed("302"), CALLER));

        DoctorCase streamed308 = find(U, "POST", "chunked", 308, Target.SAME_ORIGIN);
        assertEquals("308 returned to the caller", DoctorRule.STREAMED_BODY.problem(streamed308, observed("308"), CALLER));
        assertNull(DoctorRule.STREAMED_BODY.problem(streamed308, observed(DoctorRule.RETRY_EXCEPTION), CALLER));
    }

    /** Audit logs each rule the JDK breaks on the wire; a streamed body not sent again breaks none. */
    @Test
    void whatAuditMustLog() {
        DoctorCase streamed307 = find(U, "POST", "fixed", 307, Target.SAME_ORIGIN);
        assertEquals(EnumSet.noneOf(DoctorRule.class),
                DoctorRule.logged(streamed307, observed(DoctorRule.RETRY_EXCEPTION), CALLER));
        DoctorCase hucPost302 = find(U, "POST", "buffered", 302, Target.SAME_ORIGIN);
        assertEquals(EnumSet.of(DoctorRule.SAME_ORIGIN_HEADERS),
                DoctorRule.logged(hucPost302, observed("200", request("GET", "", null, false)), CALLER));
        DoctorCase streamed303 = find(U, "PUT", "fixed", 303, Target.SAME_ORIGIN);
        assertEquals(EnumSet.of(DoctorRule.GET_AFTER_303),
                DoctorRule.logged(streamed303, observed(DoctorRule.RETRY_EXCEPTION), CALLER));
        DoctorCase get308 = find(H, "GET", "none", 308, Target.SAME_ORIGIN);
        assertEquals(EnumSet.noneOf(DoctorRule.class),
                DoctorRule.logged(get308, observed("200", request("GET", "", null, true)), CALLER));
    }

    @Test
    void certificateFor127001AndLocalhost() throws Exception {
        SelfSignedCertificate cert = SelfSignedCertificate.generate();
        X509Certificate x = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(cert.der));
        x.checkValidity();
        x.verify(x.getPublicKey());
        assertEquals(3, x.getVersion());
        Set<String> names = x.getSubjectAlternativeNames().stream().map(n -> n.get(0) + "=" + n.get(1))
                .collect(Collectors.toSet());
        assertEquals(Set.of("2=localhost", "7=127.0.0.1"), names);
        assertTrue(cert.serverContext().getServerSocketFactory() != null);
    }

    @Test
    void noSecretInAUrl() {
        DoctorCase c = DoctorCase.all().get(0);
        String line = c.line("http://127.0.0.1:1/d/none/" + c.id + "/start?q=" + CALLER.query);
        List<String> secrets = new ArrayList<>(CALLER.secrets());
        secrets.remove(CALLER.query);
        for (String s : secrets) {
            assertTrue(!line.contains(s), s);
        }
        assertTrue(CALLER.line().contains(CALLER.authorization) && CALLER.authorization.startsWith("Bearer "));
    }

    private static void assertExpected(Client client, String method, String body, int status, Target target,
                                       Outcome outcome, String next, boolean keepsBody) {
        DoctorCase c = new DoctorCase("x", client, method, body, status, target, false);
        String what = client + " " + c.label();
        assertEquals(outcome, c.outcome(), what);
        if (outcome != Outcome.RETURNED) {
            assertEquals(next, c.nextMethod(), what);
            assertEquals(keepsBody, c.keepsBody(), what);
        }
    }

    private static DoctorCase find(Client client, String method, String body, int status, Target target) {
        return all(client).stream().filter(c -> c.method.equals(method) && c.body.equals(body) && c.status == status
                && c.target == target).findFirst().orElseThrow();
    }

    private static List<DoctorCase> all(Client client) {
        return DoctorCase.all().stream().filter(c -> c.client == client).toList();
    }

    private static Observation observed(String caller, Observation.Request... target) {
        return new Observation(caller, "", List.of(request("POST", CALLER.body, CallerValues.CONTENT_TYPE, true)),
                List.of(target));
    }

    /** @param credentials whether Authorization, Cookie and X-Custom came along */
    private static Observation.Request request(String method, String body, String contentType, boolean credentials) {
        return new Observation.Request(method, "127.0.0.1:1", body, contentType, credentials ? CALLER.authorization : null,
                credentials ? CALLER.cookie : null, credentials ? CALLER.custom : null);
    }
}
