package dev.redirectguard.agent;

import dev.redirectguard.rules.BodyKind;
import dev.redirectguard.rules.Hop;
import dev.redirectguard.rules.NextRequest;
import dev.redirectguard.rules.Target;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/** The model of the unpatched HttpURLConnection that audit compares against the rules. */
class HucHopsModelTest {
    private static final Target A = Target.of("http", "h", 1, "/a");
    private static final Target B = Target.of("http", "h", 2, "/b");

    private static Hop hop(int status, String method, BodyKind body, Target to) {
        return new Hop(status, method, body, A, to, List.of("Authorization", "Cookie", "X-Custom"));
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
}
