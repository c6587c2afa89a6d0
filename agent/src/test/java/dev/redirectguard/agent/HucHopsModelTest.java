package dev.redirectguard.agent;

import dev.redirectguard.rules.BodyKind;
import dev.redirectguard.rules.Hop;
import dev.redirectguard.rules.NextRequest;
import dev.redirectguard.rules.RedirectRules;
import dev.redirectguard.rules.Target;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The model of the unpatched HttpURLConnection that audit compares against the rules. */
class HucHopsModelTest {
    private static final Target A = Target.of("http", "h", 1, "/a");
    private static final Target B = Target.of("http", "h", 2, "/b");

    private static Hop hop(int status, String method, BodyKind body, Target to) {
        return new Hop(status, method, body, A, to, List.of("Authorization", "Cookie", "X-Custom"));
    }

    /** HucHops.hop leaves these hops alone without building them: the model must agree that they repeat as is. */
    @Test
    void aSameOrigin307WithoutAStreamedBodyIsRepeatedAsIs() {
        Target a2 = Target.of("http", "H", 1, "/b");
        for (String method : List.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH")) {
            for (BodyKind body : List.of(BodyKind.NONE, BodyKind.BUFFERED)) {
                for (boolean cookieHandler : new boolean[] {false, true}) {
                    Hop hop = hop(307, method, body, a2);
                    NextRequest n = HucHops.jdkNextRequest(hop, cookieHandler);
                    assertEquals(method, n.method());
                    assertEquals(body == BodyKind.BUFFERED, n.body());
                    assertEquals(hop.callerHeaders(), n.headers());
                    assertTrue(n.bodyHeaders());
                    assertTrue(RedirectRules.repeatedAsIs(307, hop.sameOrigin(), true, true, true));
                }
            }
        }
    }

    @Test
    void postBecomesGetWithNoHeadersOn301To303() {
        for (int s : new int[] {301, 302, 303}) {
            NextRequest n = HucHops.jdkNextRequest(hop(s, "POST", BodyKind.BUFFERED, A));
            assertEquals("GET", n.method());
            assertFalse(n.body());
            assertEquals(Set.of(), n.headers());
        }
    }

    @Test
    void otherMethodsKeepEverythingButCredentialsOnAnotherHost() {
        NextRequest n = HucHops.jdkNextRequest(hop(303, "PUT", BodyKind.BUFFERED, B));
        assertEquals("PUT", n.method());
        assertEquals(true, n.body());
        assertEquals(Set.of("x-custom"), n.headers());
    }

    @Test
    void threeOhEightIsReturnedAndStreamedBodiesThrow() {
        assertEquals(NextRequest.Stop.RETURNED, HucHops.jdkNextRequest(hop(308, "GET", BodyKind.NONE, A)).stop());
        assertEquals(NextRequest.Stop.RETURNED, HucHops.jdkNextRequest(hop(308, "PUT", BodyKind.STREAMED, A)).stop());
        assertEquals(NextRequest.Stop.RETRY_EXCEPTION,
                HucHops.jdkNextRequest(hop(303, "POST", BodyKind.STREAMED, A)).stop());
    }

    @Test
    void callerFrameSkipsTheJdkAndTheAgent() {
        StackTraceElement[] stack = {
            new StackTraceElement("java.lang.RedirectGuardBridge", "hucHop", "RedirectGuardBridge.java", 1),
            new StackTraceElement("dev.redirectguard.agent.HucHops", "hop", "HucHops.java", 2),
            new StackTraceElement("sun.net.www.protocol.http.HttpURLConnection", "followRedirect0", null, 3),
            new StackTraceElement("com.example.Orders", "submit", "Orders.java", 42),
        };
        assertEquals("com.example.Orders.submit(Orders.java:42)", CallerFrames.firstApplicationFrame(stack));
    }

    @Test
    void callerFrameSkipsHttpLibraries() {
        StackTraceElement[] stack = {
            new StackTraceElement("sun.net.www.protocol.http.HttpURLConnection", "getInputStream", null, 1),
            new StackTraceElement("org.springframework.http.client.SimpleClientHttpResponse", "getStatusCode", null, 2),
            new StackTraceElement("org.springframework.web.client.RestTemplate", "doExecute", null, 3),
            new StackTraceElement("com.google.api.client.http.HttpRequest", "execute", null, 4),
            new StackTraceElement("com.example.Billing", "charge", "Billing.java", 7),
        };
        assertEquals("com.example.Billing.charge(Billing.java:7)", CallerFrames.firstApplicationFrame(stack));
    }

    @Test
    void everySkippedPrefixIsFoundByItsFirstCharacterAndNothingElseIs() {
        for (String prefix : CallerFrames.skippedPrefixes()) {
            assertTrue(CallerFrames.skipped(prefix + "Foo"), prefix);
            assertFalse(CallerFrames.skipped(prefix.substring(0, prefix.length() - 1) + "_.Foo"), prefix);
        }
        for (String application : new String[] {"com.example.Orders", "dev.redirectguard.benchmarks.LoadClient",
                "javafx.scene.Node", "sunshine.Api", "Orders", "\u00e9t\u00e9.Api", ""}) {
            assertFalse(CallerFrames.skipped(application), application);
        }
    }
}
