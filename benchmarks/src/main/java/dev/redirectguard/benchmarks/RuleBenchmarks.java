package dev.redirectguard.benchmarks;

import dev.redirectguard.log.JsonLines;
import dev.redirectguard.log.ViolationRecord;
import dev.redirectguard.rules.BodyKind;
import dev.redirectguard.rules.Hop;
import dev.redirectguard.rules.NextRequest;
import dev.redirectguard.rules.RedirectPolicy;
import dev.redirectguard.rules.RedirectRules;
import dev.redirectguard.rules.Target;
import dev.redirectguard.rules.Violation;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

import java.util.List;
import java.util.Set;

/** What the agent adds to one redirect hop: a rule decision, and a log line when a rule broke. */
@State(Scope.Benchmark)
public class RuleBenchmarks {
    private final RedirectPolicy policy = new RedirectPolicy(RedirectPolicy.LegacyPostRedirect.GET,
            Set.of("Authorization", "Cookie"));
    private final Target from = Target.of("http", "orders.internal", 8080, "/orders");
    private final Target to = Target.of("http", "orders.internal", 8080, "/standby/orders");
    private final List<String> headers = List.of("Authorization", "Cookie", "X-Request-Id", "Content-Type");
    private final NextRequest jdk = NextRequest.follow("GET", false, false, List.of());
    private final ViolationRecord record = new ViolationRecord(1_764_000_000_000L, "same-origin-headers",
            "HttpURLConnection", "audit", "observed", 302, "POST", "GET", "GET", from.toString(), to.toString(),
            "com.example.OrderClient.submit(OrderClient.java:42)", "main", "caller headers dropped: authorization cookie");

    /** A HttpURLConnection POST through a 302 on one origin: the JDK drops the caller's headers. */
    @Benchmark
    public List<Violation> decideHop() {
        Hop hop = new Hop(302, "POST", BodyKind.BUFFERED, from, to, headers);
        RedirectRules.expected(hop, policy);
        return RedirectRules.violations(hop, jdk, policy);
    }

    @Benchmark
    public String encodeLogLine() {
        return JsonLines.encode(record);
    }
}
