package dev.redirectguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Staged rollout (issue 12), on every JDK of the matrix: enforce limited by rule
 * ({@code enforceRules}), by target ({@code enforceTargets}) and by caller
 * ({@code enforceCallers}).
 *
 * <ul>
 * <li>Each key from each source (agent argument, config file, system property
 *     {@code redirectguard.<key>}, environment {@code REDIRECTGUARD_<KEY>}), in four child JVMs that
 *     take the three keys from three different sources (a Latin square), each also giving one key
 *     from a lower source that must lose (agent argument > file > system property > environment).</li>
 * <li>A hop left out by the scope is, on the wire, byte for byte what the JDK sends without the
 *     agent (a child without the agent makes the same call: request line, every header, body bytes),
 *     the caller gets what it gets without the agent, and the log says {@code observed} with the
 *     {@code scope} that left it out; the same hop in scope is corrected.</li>
 * <li>Live changes (the MBean's set in the application, the CLI's set and mode, the config file)
 *     take effect on the next hop; bad values change nothing and say so in one line; status and the
 *     MBean show the keys; the counters are split by scope.</li>
 * <li>A hop that breaks two rules, with one of them enforced: that one corrected, the other as the
 *     JDK does it.</li>
 * <li>A bad enforceTargets at start never widens enforcement.</li>
 * </ul>
 *
 * <p>The server ({@link WireServer}) has two ports and is reached as 127.0.0.1 and as localhost;
 * names under {@code .test} go through it as a forward proxy ({@code http.proxyHost}), for
 * {@code *.billing.test}. Callers are the child's classes in two packages, {@code ...rollout.billing}
 * and {@code ...rollout.legacy}. Every child answers one line per command, so the test waits for
 * events; only the config file, polled by the agent each second, is waited for by reading the
 * MBean's Settings until they change (15 s at most).
 */
class RolloutIT {
    private static final String MAIN = "dev.redirectguard.it.child.rollout.RolloutChild";
    private static final String BILLING = "dev.redirectguard.it.child.rollout.billing.";
    private static final String LEGACY = "dev.redirectguard.it.child.rollout.legacy.";
    private static final String BOTH_STATUS_RULES = "same-method-307-308;get-after-303";
    private static final List<String> CALLER_HEADERS = List.of("authorization", "cookie", "x-custom");
    private static final long BOUND_NANOS = TimeUnit.SECONDS.toNanos(15);

    static WireServer server;
    /** Per JDK, a child without the agent: what the JDK sends for a call, made on demand, kept. */
    private static final Map<Integer, Baseline> BASELINES = new ConcurrentHashMap<>();

    @BeforeAll
    static void startServer() throws IOException {
        server = new WireServer();
    }

    @AfterAll
    static void stop() throws Exception {
        for (Baseline b : BASELINES.values()) {
            b.child.close();
        }
        BASELINES.clear();
        if (server != null) {
            server.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> rollout() {
        return JdkMatrix.testsPerJdk((jdk, tests) -> {
            for (Sources s : SOURCES) {
                tests.add(dynamicTest(jdk.label() + " " + s.title(), () -> sources(jdk, s)));
            }
            tests.add(dynamicTest(jdk.label() + " live: MBean set, CLI set and mode, config file; status, counters",
                    () -> live(jdk)));
            tests.add(dynamicTest(jdk.label() + " two rules broken, one enforced", () -> twoRules(jdk)));
            tests.add(dynamicTest(jdk.label() + " bad enforceTargets at start never widens enforcement",
                    () -> badAtStart(jdk)));
        });
    }

    // ---------------------------------------------------------------------------------------------
    // Each key from each source

    /**
     * One child of the Latin square. {@code in} and {@code out} are host:port targets in and out of
     * its enforceTargets; {@code alsoIn}/{@code alsoOut}: more of them (names through the proxy).
     */
    private record Sources(String name, String title, String agentArgs, Map<String, String> properties, Map<String, String> env,
                           String file, String rules, String targets, String callers, String in, String out,
                           List<String> alsoIn, List<String> alsoOut) {
    }

    /** The four rows; P1 and P2 stand for the server's ports. */
    private static final List<Sources> SOURCES = List.of(
            // rules: agent argument (over the environment); targets: system property; callers: environment
            new Sources("arg-prop-env", "enforceRules by agent argument (over the environment), enforceTargets by"
                    + " system property (IP literal, *.domain), enforceCallers by environment", "enforceRules=" + BOTH_STATUS_RULES,
                    Map.of("redirectguard.enforceTargets", "127.0.0.1;*.billing.test"),
                    Map.of("REDIRECTGUARD_ENFORCERULES", "*", "REDIRECTGUARD_ENFORCECALLERS", BILLING),
                    null, BOTH_STATUS_RULES, "127.0.0.1;*.billing.test", BILLING, "127.0.0.1:P1", "localhost:P1",
                    List.of("api.billing.test:P1"), List.of("billing.test:P1", "api.legacy.test:P1")),
            // rules: system property (over the environment); targets: environment; callers: config file
            new Sources("prop-env-file", "enforceRules by system property (over the environment), enforceTargets by"
                    + " environment (host), enforceCallers by config file", "", Map.of("redirectguard.enforceRules", "get-after-303;same-method-307-308"),
                    Map.of("REDIRECTGUARD_ENFORCERULES", "same-origin-headers", "REDIRECTGUARD_ENFORCETARGETS",
                            "localhost"),
                    "enforceCallers = " + BILLING + "\n", "get-after-303;same-method-307-308", "localhost", BILLING,
                    "localhost:P2", "127.0.0.1:P2", List.of("localhost:P1"), List.of()),
            // rules: environment; targets: config file (over the system property); callers: agent argument
            new Sources("env-file-arg", "enforceRules by environment, enforceTargets by config file (host:port, over"
                    + " the system property), enforceCallers by agent argument (classes)", "enforceCallers=" + BILLING + "BillingCalls;" + BILLING + "BillingHttpClient",
                    Map.of("redirectguard.enforceTargets", "*"),
                    Map.of("REDIRECTGUARD_ENFORCERULES", BOTH_STATUS_RULES), "enforceTargets = localhost:P2\n",
                    BOTH_STATUS_RULES, "localhost:P2", BILLING + "BillingCalls;" + BILLING + "BillingHttpClient",
                    "localhost:P2", "localhost:P1", List.of(), List.of("127.0.0.1:P2")),
            // rules: config file; targets: agent argument (over the file); callers: system property
            new Sources("file-arg-prop", "enforceRules by config file, enforceTargets by agent argument (IP:port,"
                    + " over the config file), enforceCallers by system property", "enforceTargets=127.0.0.1:P1",
                    Map.of("redirectguard.enforceCallers", BILLING), Map.of(),
                    "enforceRules = " + BOTH_STATUS_RULES + "\nenforceTargets = 127.0.0.1\n", BOTH_STATUS_RULES,
                    "127.0.0.1:P1", BILLING, "127.0.0.1:P1", "127.0.0.1:P2", List.of(), List.of("localhost:P1")));

    private void sources(JdkMatrix.Jdk jdk, Sources s) throws Exception {
        Path dir = ItFiles.recreate(ItFiles.BUILD_DIR.resolve("it-rollout").resolve(jdk.label() + "-" + s.name()));
        String args = ports(s.agentArgs());
        if (s.file() != null) {
            Path file = dir.resolve("redirect-guard.properties");
            Files.writeString(file, "# staged rollout\n" + ports(s.file()));
            args = args + ",config=" + file;
        }
        List<String> options = new ArrayList<>();
        s.properties().forEach((k, v) -> options.add("-D" + k + "=" + ports(v)));
        Map<String, String> env = new HashMap<>();
        s.env().forEach((k, v) -> env.put(k, ports(v)));
        try (Child child = new Child(jdk, dir, "mode=enforce," + args, options, env)) {
            String settings = child.ok("settings");
            String scope = "enforceRules=" + s.rules() + ",enforceTargets=" + ports(s.targets()) + ",enforceCallers="
                    + s.callers();
            assertTrue(settings.startsWith("mode=enforce,") && settings.contains("," + scope), settings);

            // HttpURLConnection: POST -> 308 (the JDK returns the 308), PUT -> 303 (the JDK re-sends the
            // PUT), POST -> 302 (the JDK drops the caller's headers: same-origin-headers, not in enforceRules).
            String in = ports(s.in());
            child.expectCorrected(hop("huc", "billing", "POST", in, "r", 308), "same-method-307-308");
            child.expectCorrected(hop("huc", "billing", "PUT", in, "r", 303), "get-after-303");
            child.expectAsJdk(hop("huc", "billing", "POST", in, "r", 302), "rule", "same-origin-headers");
            child.expectAsJdk(hop("huc", "billing", "POST", ports(s.out()), "r", 308), "target", "same-method-307-308");
            child.expectAsJdk(hop("huc", "legacy", "POST", in, "r", 308), "caller", "same-method-307-308");
            for (String t : s.alsoIn()) {
                child.expectCorrected(hop("huc", "billing", "POST", ports(t), "r", 308), "same-method-307-308");
            }
            for (String t : s.alsoOut()) {
                child.expectAsJdk(hop("huc", "billing", "POST", ports(t), "r", 308), "target", "same-method-307-308");
            }
            if (jdk.version() >= 11) {
                // HttpClient: POST -> 303 keeps Content-Type on the GET (11: the body too); POST -> 302
                // the same, which is post-after-301-302, not in enforceRules.
                child.expectCorrected(hop("hc", "billing", "POST", in, "r", 303), "get-after-303");
                child.expectAsJdk(hop("hc", "billing", "POST", in, "r", 302), "rule", "post-after-301-302");
                child.expectAsJdk(hop("hc", "billing", "POST", ports(s.out()), "r", 303), "target", "get-after-303");
                child.expectAsJdk(hop("hc", "legacy", "POST", in, "r", 303), "caller", "get-after-303");
                for (String t : s.alsoIn()) {
                    child.expectCorrected(hop("hc", "billing", "POST", ports(t), "r", 303), "get-after-303");
                }
            }
            child.assertNoAgentLines();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Live changes

    private void live(JdkMatrix.Jdk jdk) throws Exception {
        Path dir = ItFiles.recreate(ItFiles.BUILD_DIR.resolve("it-rollout").resolve(jdk.label() + "-live"));
        Path file = dir.resolve("redirect-guard.properties");
        writeAtomically(file, "mode = enforce\nenforceRules = get-after-303\n");
        boolean hc = jdk.version() >= 11;
        String a = "127.0.0.1:" + server.port1();
        String b = "localhost:" + server.port1();
        try (Child child = new Child(jdk, dir, "config=" + file, List.of(), Map.of())) {
            String pid = String.valueOf(child.pid());
            assertTrue(child.ok("settings").contains(",enforceRules=get-after-303,enforceTargets=*,enforceCallers=*,"),
                    child.ok("settings"));
            child.expectAsJdk(hop("huc", "billing", "POST", a, "r", 308), "rule", "same-method-307-308");

            // The MBean's set, in the application.
            String after = child.ok("set enforceRules=" + BOTH_STATUS_RULES + ",enforceTargets=localhost");
            assertTrue(after.contains(",enforceRules=" + BOTH_STATUS_RULES + ",enforceTargets=localhost,"), after);
            assertEquals(after, child.ok("settings"));
            child.expectAsJdk(hop("huc", "billing", "POST", a, "r", 308), "target", "same-method-307-308");
            child.expectCorrected(hop("huc", "billing", "POST", b, "r", 308), "same-method-307-308");
            if (hc) {
                child.expectAsJdk(hop("hc", "billing", "POST", a, "r", 303), "target", "get-after-303");
                child.expectCorrected(hop("hc", "billing", "POST", b, "r", 303), "get-after-303");
            }

            // The CLI's set.
            Cli r = Cli.run("set", pid, "enforceTargets=*,enforceCallers=" + LEGACY);
            assertEquals(0, r.code(), r.toString());
            after = child.ok("settings");
            assertEquals(pid + ": settings " + after, r.out().trim(), r.toString());
            assertTrue(after.contains(",enforceTargets=*,enforceCallers=" + LEGACY + ","), after);
            child.expectAsJdk(hop("huc", "billing", "POST", a, "r", 308), "caller", "same-method-307-308");
            child.expectCorrected(hop("huc", "legacy", "POST", a, "r", 308), "same-method-307-308");
            if (hc) {
                child.expectAsJdk(hop("hc", "billing", "POST", a, "r", 303), "caller", "get-after-303");
                child.expectCorrected(hop("hc", "legacy", "POST", a, "r", 303), "get-after-303");
            }

            // The CLI's mode: back to audit (roll back), then enforce with one rule for every caller.
            r = Cli.run("mode", pid, "audit");
            assertEquals(0, r.code(), r.toString());
            assertTrue(child.ok("settings").startsWith("mode=audit,"), r.toString());
            child.expectAsJdk(hop("huc", "legacy", "POST", a, "r", 308), null, "same-method-307-308");
            r = Cli.run("mode", pid, "enforce", "enforceCallers=*,enforceRules=get-after-303");
            assertEquals(0, r.code(), r.toString());
            String good = child.ok("settings");
            assertTrue(good.startsWith("mode=enforce,")
                    && good.contains(",enforceRules=get-after-303,enforceTargets=*,enforceCallers=*,"), good);
            assertEquals(List.of(pid + ": settings " + good, pid + ": mode audit -> enforce"), r.out().lines().toList(),
                    r.toString());
            child.expectAsJdk(hop("huc", "legacy", "POST", a, "r", 308), "rule", "same-method-307-308");
            if (hc) {
                child.expectCorrected(hop("hc", "billing", "POST", a, "r", 303), "get-after-303");
            }

            // Bad live values change nothing: the MBean's set...
            String error = child.send("set enforceTargets=127.0.0.1;a b");
            assertEquals("error java.lang.IllegalArgumentException: set enforceTargets: enforceTargets"
                    + " '127.0.0.1;a b' has an invalid pattern 'a b' (a space inside); nothing changed, enforceTargets"
                    + " stays *", error);
            assertEquals(good, child.ok("settings"));
            // ... and the CLI's set, also when another key in it is good.
            r = Cli.run("set", pid, "enforceTargets=localhost,enforceRules=same-method-307-308;no-such-rule");
            assertEquals(1, r.code(), r.toString());
            assertEquals("", r.out(), r.toString());
            List<String> errLines = r.err().lines().toList();
            assertEquals(1, errLines.size(), r.toString());
            assertTrue(errLines.get(0).startsWith("redirect-guard: " + pid + ": set enforceRules: enforceRules"
                    + " 'same-method-307-308;no-such-rule' names no rule 'no-such-rule' (rule ids: ")
                    && errLines.get(0).endsWith("; nothing changed, enforceRules stays get-after-303"), errLines.get(0));
            assertEquals(good, child.ok("settings"));
            if (hc) {
                child.expectCorrected(hop("hc", "billing", "POST", a, "r", 303), "get-after-303");
            }
            child.expectAsJdk(hop("huc", "billing", "POST", b, "r", 308), "rule", "same-method-307-308");

            // status shows the keys and the counters by scope, as the MBean and the log count them.
            r = Cli.run("status", pid);
            assertEquals(0, r.code(), r.toString());
            Files.writeString(dir.resolve("status.txt"), r.out());
            assertTrue(r.out().lines().anyMatch(l -> l.equals("settings: " + good)), r.toString());
            assertTrue(r.out().lines().anyMatch(l -> l.equals("mode: enforce")), r.toString());
            assertEquals("rule client action scope", child.ok("index"), "the Counters table's index columns");
            Map<String, Long> fromLog = child.countsFromLog();
            assertEquals(fromLog, statusCounters(r.out()), r.toString());
            assertEquals(fromLog, child.counters());
            assertTrue(fromLog.keySet().containsAll(List.of("same-method-307-308 HttpURLConnection observed rule",
                    "same-method-307-308 HttpURLConnection observed target",
                    "same-method-307-308 HttpURLConnection observed caller",
                    "same-method-307-308 HttpURLConnection observed none",
                    "same-method-307-308 HttpURLConnection corrected none")), fromLog.toString());

            // The config file: the settings are computed again from it (replacing what was set live).
            writeAtomically(file, "mode = enforce\nenforceRules = same-method-307-308\nenforceTargets = " + a
                    + "\nenforceCallers = " + BILLING + "\n");
            String fromFile = child.awaitSettings(s -> s.contains(",enforceTargets=" + a + ","));
            assertTrue(fromFile.startsWith("mode=enforce,") && fromFile.contains(",enforceRules=same-method-307-308,"
                    + "enforceTargets=" + a + ",enforceCallers=" + BILLING + ",config=" + file), fromFile);
            child.expectCorrected(hop("huc", "billing", "POST", a, "r", 308), "same-method-307-308");
            child.expectAsJdk(hop("huc", "billing", "POST", "127.0.0.1:" + server.port2(), "r", 308), "target",
                    "same-method-307-308");
            child.expectAsJdk(hop("huc", "legacy", "POST", a, "r", 308), "caller", "same-method-307-308");
            if (hc) {
                child.expectAsJdk(hop("hc", "billing", "POST", a, "r", 303), "rule", "get-after-303");
            }
            child.assertNoAgentLines();

            // A bad value in the file: one line on the application's stderr, the settings stay.
            writeAtomically(file, "mode = enforce\nenforceRules = same-method-307-308\nenforceTargets = " + a
                    + ";*.*.test\nenforceCallers = " + BILLING + "\n");
            String line = child.awaitAgentLine();
            assertEquals("redirect-guard: config file " + file + " key enforceTargets: enforceTargets '" + a
                    + ";*.*.test' has an invalid pattern '*.*.test' (a '*' only as the whole value or as a leading"
                    + " '*.'); keeping the last good settings (" + fromFile + ")", line);
            assertEquals(fromFile, child.ok("settings"));
            child.expectCorrected(hop("huc", "billing", "POST", a, "r", 308), "same-method-307-308");
            child.expectAsJdk(hop("huc", "billing", "POST", "127.0.0.1:" + server.port2(), "r", 308), "target",
                    "same-method-307-308");
            assertEquals(1, child.agentLines().size(), child.agentLines().toString());
            assertEquals(child.countsFromLog(), child.counters());
        }
    }

    // ---------------------------------------------------------------------------------------------
    // One hop, two rules, one of them enforced

    private void twoRules(JdkMatrix.Jdk jdk) throws Exception {
        Path dir = ItFiles.recreate(ItFiles.BUILD_DIR.resolve("it-rollout").resolve(jdk.label() + "-two-rules"));
        String a = "127.0.0.1:" + server.port1();
        // X-Custom in the strip list: HttpURLConnection (and HttpClient 21+) strip only Authorization and
        // Cookie themselves, so a hop to another origin breaks cross-origin-strip on every JDK.
        try (Child child = new Child(jdk, dir, "mode=enforce,stripOnCrossOrigin=Authorization;Cookie;X-Custom,"
                + "legacyPostRedirect=preserve,enforceRules=get-after-303", List.of(), Map.of())) {
            // PUT -> 303 to another origin: the JDK re-sends the PUT with its body (get-after-303) and
            // X-Custom (cross-origin-strip). HttpClient POST -> 303 there: Content-Type (11: the body)
            // stays on the GET, X-Custom goes (11 and 17: Authorization and Cookie too).
            Hop hucPut303 = hop("huc", "billing", "PUT", a, "x", 303);
            Hop hcPost303 = hop("hc", "billing", "POST", a, "x", 303);
            // POST -> 302 on the same origin with legacyPostRedirect=preserve: the JDK sends a GET
            // (post-after-301-302) without the caller's headers (same-origin-headers).
            Hop hucPost302 = hop("huc", "billing", "POST", a, "r", 302);

            List<Hop> crossOrigin = jdk.version() >= 11 ? List.of(hucPut303, hcPost303) : List.of(hucPut303);
            for (Hop h : crossOrigin) {
                Outcome jdkDid = baseline(jdk, h);
                Outcome o = child.call(h, List.of(Line.corrected("get-after-303"),
                        Line.observed("cross-origin-strip", "rule")));
                WireServer.Request next = child.secondOf(h, o, jdkDid);
                assertEquals("GET", next.method(), next.describe());
                assertBodiless(next);
                assertEquals(withoutBodyHeaders(jdkDid.wire().get(1).headers()), withoutBodyHeaders(next.headers()),
                        "GET without body headers; the other headers as the JDK sends them\n" + next.describe()
                                + "\nJDK: " + jdkDid.wire().get(1).describe());
                // As the JDK does it: X-Custom goes to the other origin; on HttpClient 11 and 17 so do the credentials.
                assertEquals("rollout-custom", next.header("X-Custom"), next.describe());
                boolean leaksCredentials = h.client().equals("hc") && jdk.version() < 21;
                assertEquals(leaksCredentials ? "Bearer rollout-token" : null, next.header("Authorization"),
                        next.describe());
            }
            child.expectAsJdk(hucPost302, "rule", "post-after-301-302", "same-origin-headers");

            assertTrue(child.ok("set enforceRules=cross-origin-strip").contains(",enforceRules=cross-origin-strip,"));
            for (Hop h : crossOrigin) {
                Outcome jdkDid = baseline(jdk, h);
                Outcome o = child.call(h, List.of(Line.observed("get-after-303", "rule"),
                        Line.corrected("cross-origin-strip")));
                WireServer.Request next = child.secondOf(h, o, jdkDid);
                WireServer.Request jdkNext = jdkDid.wire().get(1);
                assertEquals(jdkNext.method(), next.method(), next.describe());
                assertEquals(jdkNext.bodyText(), next.bodyText(), next.describe());
                assertEquals(without(jdkNext.headers(), CALLER_HEADERS), next.headers(),
                        "the JDK's request less the strip list\n" + next.describe() + "\nJDK: " + jdkNext.describe());
            }

            assertTrue(child.ok("set enforceRules=post-after-301-302").contains(",enforceRules=post-after-301-302,"));
            Outcome jdkDid = baseline(jdk, hucPost302);
            Outcome o = child.call(hucPost302, List.of(Line.corrected("post-after-301-302"),
                    Line.observed("same-origin-headers", "rule")));
            WireServer.Request first = o.wire().get(0);
            WireServer.Request next = child.secondOf(hucPost302, o, jdkDid);
            assertEquals("POST", next.method(), next.describe());
            assertEquals(first.bodyText(), next.bodyText(), next.describe());
            assertEquals(without(first.headers(), CALLER_HEADERS), next.headers(),
                    "POST with its body and body headers; the caller's headers dropped, as the JDK does\n"
                            + next.describe());

            assertTrue(child.ok("set enforceRules=same-origin-headers").contains(",enforceRules=same-origin-headers,"));
            o = child.call(hucPost302, List.of(Line.observed("post-after-301-302", "rule"),
                    Line.corrected("same-origin-headers")));
            next = child.secondOf(hucPost302, o, jdkDid);
            WireServer.Request jdkNext = jdkDid.wire().get(1);
            assertEquals("GET", next.method(), next.describe());
            assertBodiless(next);
            TreeMap<String, List<String>> expected = withoutBodyHeaders(jdkNext.headers());
            for (String name : CALLER_HEADERS) {
                expected.put(name, first.headers().get(name));
            }
            assertEquals(expected, withoutBodyHeaders(next.headers()), "the JDK's GET with the caller's headers\n" + next.describe()
                    + "\nJDK: " + jdkNext.describe());
            assertEquals(child.countsFromLog(), child.counters());
            child.assertNoAgentLines();
        }
    }

    // ---------------------------------------------------------------------------------------------
    // A bad enforceTargets at start

    private void badAtStart(JdkMatrix.Jdk jdk) throws Exception {
        Path dir = ItFiles.recreate(ItFiles.BUILD_DIR.resolve("it-rollout").resolve(jdk.label() + "-bad-start"));
        String a = "127.0.0.1:" + server.port1();
        // Half of it is good: still nothing is enforced for any target, not that half.
        try (Child child = new Child(jdk, dir, "mode=enforce,enforceTargets=127.0.0.1;*.*.test", List.of(), Map.of())) {
            String pid = String.valueOf(child.pid());
            assertEquals(List.of("redirect-guard: agent argument enforceTargets: enforceTargets '127.0.0.1;*.*.test'"
                    + " has an invalid pattern '*.*.test' (a '*' only as the whole value or as a leading '*.');"
                    + " enforcing no target (enforceTargets=), mode audit"), child.agentLines());
            String settings = child.ok("settings");
            assertTrue(settings.startsWith("mode=audit,") && settings.contains(",enforceTargets=,"), settings);
            child.expectAsJdk(hop("huc", "billing", "POST", a, "r", 308), null, "same-method-307-308");
            if (jdk.version() >= 11) {
                child.expectAsJdk(hop("hc", "billing", "POST", a, "r", 303), null, "get-after-303");
            }

            Cli r = Cli.run("mode", pid, "enforce");
            assertEquals(0, r.code(), r.toString());
            assertTrue(child.ok("settings").startsWith("mode=enforce,"), r.toString());
            child.expectAsJdk(hop("huc", "billing", "POST", a, "r", 308), "target", "same-method-307-308");
            child.expectAsJdk(hop("huc", "legacy", "POST", "localhost:" + server.port2(), "r", 308), "target",
                    "same-method-307-308");
            if (jdk.version() >= 11) {
                child.expectAsJdk(hop("hc", "billing", "POST", a, "r", 303), "target", "get-after-303");
            }

            assertTrue(child.ok("set enforceTargets=127.0.0.1").contains(",enforceTargets=127.0.0.1,"));
            child.expectCorrected(hop("huc", "billing", "POST", a, "r", 308), "same-method-307-308");
            assertEquals(1, child.agentLines().size(), child.agentLines().toString());
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Calls, baselines and expectations

    /** A call: client (huc, hc), caller package (billing, legacy), method, and where it starts. */
    private record Hop(String client, String who, String method, String hostPort, String kind, int status, String tag) {
        String url() {
            return "http://" + hostPort + "/" + kind + "/" + status + "/" + tag;
        }

        String command() {
            return client + " " + who + " " + method + " " + url();
        }

        String clientName() {
            return client.equals("huc") ? "HttpURLConnection" : "HttpClient";
        }

        /** The frame the log must name: the caller class's method that sent the request. */
        String callerPrefix() {
            String pkg = who.equals("billing") ? BILLING : LEGACY;
            String cls = Character.toUpperCase(who.charAt(0)) + who.substring(1);
            return client.equals("huc") ? pkg + cls + "Calls.huc(" : pkg + cls + "HttpClient.send(";
        }
    }

    private static int tags;

    /** A hop with a tag of its own, so every call has its own URL (the baseline makes the same one). */
    private static synchronized Hop hop(String client, String who, String method, String hostPort, String kind,
                                        int status) {
        return new Hop(client, who, method, hostPort, kind, status,
                client + "-" + who + "-" + method.toLowerCase(Locale.ROOT) + status + "-" + (++tags));
    }

    /** What the caller got, and every request the server received for the call, in order. */
    private record Outcome(String answer, List<WireServer.Request> wire) {
        String describe() {
            StringBuilder b = new StringBuilder("answer: " + answer);
            for (WireServer.Request r : wire) {
                b.append("\n").append(r.describe());
            }
            return b.toString();
        }
    }

    /** An expected log line of a hop: rule, action, scope (null: no scope field). */
    private record Line(String rule, String action, String scope) {
        static Line corrected(String rule) {
            return new Line(rule, "corrected", null);
        }

        static Line observed(String rule, String scope) {
            return new Line(rule, "observed", scope);
        }
    }

    private static final class Baseline {
        final OpsChildProcess child;
        final Map<String, Outcome> outcomes = new ConcurrentHashMap<>();

        Baseline(OpsChildProcess child) {
            this.child = child;
        }
    }

    /** The same call without the agent, in this JDK's child without the agent. */
    private static Outcome baseline(JdkMatrix.Jdk jdk, Hop hop) throws Exception {
        Baseline b = BASELINES.get(jdk.version());
        if (b == null) {
            Path dir = ItFiles.recreate(ItFiles.BUILD_DIR.resolve("it-rollout").resolve(jdk.label() + "-no-agent"));
            b = new Baseline(new OpsChildProcess(jdk, ItFiles.CHILD_CLASSES, ItFiles.AGENT_JAR, null, dir,
                    proxyOptions(), MAIN, Map.of()));
            BASELINES.put(jdk.version(), b);
        }
        Outcome known = b.outcomes.get(hop.command());
        if (known != null) {
            return known;
        }
        int mark = server.mark();
        String answer = b.child.send(hop.command());
        Outcome o = new Outcome(answer, server.since(mark));
        assertTrue(answer.startsWith("ok "), "no agent: " + hop.command() + ": " + answer);
        b.outcomes.put(hop.command(), o);
        return o;
    }

    /** Names under .test go through the server as a forward proxy; loopback names never do (http.nonProxyHosts). */
    private static List<String> proxyOptions() {
        return List.of("-Dhttp.proxyHost=127.0.0.1", "-Dhttp.proxyPort=" + server.port1());
    }

    /** A RolloutChild with the agent (jmx at once, every violation its own line), its log and its counters. */
    private static final class Child implements AutoCloseable {
        final JdkMatrix.Jdk jdk;
        final OpsChildProcess process;
        final Path log;
        private int logLines;
        private Map<String, Long> counted = Map.of();

        Child(JdkMatrix.Jdk jdk, Path dir, String agentArgs, List<String> options, Map<String, String> env)
                throws Exception {
            this.jdk = jdk;
            this.log = dir.resolve("agent.jsonl");
            List<String> jvm = new ArrayList<>(proxyOptions());
            jvm.addAll(options);
            process = new OpsChildProcess(jdk, ItFiles.CHILD_CLASSES, ItFiles.AGENT_JAR,
                    agentArgs + ",jmx=0,logInterval=0,logRate=0,log=" + log, dir, jvm, MAIN, env);
        }

        long pid() {
            return process.pid();
        }

        String send(String command) throws Exception {
            return process.send(command);
        }

        /** The answer of a command that must succeed, without its "ok ". */
        String ok(String command) throws Exception {
            String answer = send(command);
            assertTrue(answer.startsWith("ok "), command + ": " + answer);
            return answer.substring(3);
        }

        /**
         * Makes the call; the hop's violations must be exactly {@code lines}: counted by the MBean
         * (exact, and counted before the hop goes on) and, once the log writer has caught up, one
         * log line each with the hop's client, mode, from and caller.
         */
        Outcome call(Hop hop, List<Line> lines) throws Exception {
            int mark = server.mark();
            String answer = send(hop.command());
            Outcome o = new Outcome(answer, server.since(mark));
            assertTrue(answer.startsWith("ok "), hop.command() + ": " + answer);
            String mode = ok("settings").startsWith("mode=audit,") ? "audit" : "enforce";

            Map<String, Long> now = counters();
            Map<String, Long> expectedDelta = new TreeMap<>();
            for (Line l : lines) {
                expectedDelta.merge(counterKey(l.rule(), hop.clientName(), l.action(), l.scope()), 1L, Long::sum);
            }
            assertEquals(expectedDelta, delta(counted, now), hop.command() + "\n" + o.describe());
            counted = now;

            long total = now.values().stream().mapToLong(Long::longValue).sum();
            long deadline = System.nanoTime() + BOUND_NANOS;
            List<LogLine> all = LogLine.read(log);
            while (all.size() < total && System.nanoTime() < deadline) {
                Thread.sleep(20);
                all = LogLine.read(log);
            }
            assertEquals(total, all.size(), "log lines, one per counted violation");
            List<LogLine> added = all.subList(logLines, all.size());
            logLines = all.size();
            List<String> got = new ArrayList<>();
            for (LogLine l : added) {
                assertEquals(hop.clientName(), l.text("client"), l.raw());
                assertEquals(mode, l.text("mode"), l.raw());
                assertEquals(hop.url(), l.text("from"), l.raw());
                assertTrue(String.valueOf(l.text("caller")).startsWith(hop.callerPrefix()), l.raw());
                got.add(l.text("rule") + " " + l.text("action") + " " + l.text("scope"));
            }
            List<String> want = lines.stream().map(l -> l.rule() + " " + l.action() + " " + l.scope()).toList();
            assertEquals(want.stream().sorted().toList(), got.stream().sorted().toList(), hop.command());
            return o;
        }

        /** Out of scope (or audit): logged observed with {@code scope}, and what the JDK does, to the byte. */
        void expectAsJdk(Hop hop, String scope, String... rules) throws Exception {
            Outcome jdkDid = baseline(jdk, hop);
            List<Line> lines = new ArrayList<>();
            for (String rule : rules) {
                lines.add(Line.observed(rule, scope));
            }
            Outcome o = call(hop, lines);
            assertEquals(jdkDid.answer(), o.answer(), hop.command());
            assertEquals(jdkDid.wire().size(), o.wire().size(), "requests\nagent: " + o.describe() + "\nno agent: "
                    + jdkDid.describe());
            for (int i = 0; i < o.wire().size(); i++) {
                assertTrue(o.wire().get(i).sameBytes(jdkDid.wire().get(i)), hop.command() + ": request " + (i + 1)
                        + " differs from the JDK's without the agent\nagent: " + o.wire().get(i).describe()
                        + "\nno agent: " + jdkDid.wire().get(i).describe());
            }
        }

        /**
         * In scope: corrected, and followed as the rules say on the same origin: a 307/308 repeats the
         * request (method, body bytes, every header); otherwise a GET without body and body headers,
         * every other header kept.
         */
        void expectCorrected(Hop hop, String rule) throws Exception {
            Outcome jdkDid = baseline(jdk, hop);
            Outcome o = call(hop, List.of(Line.corrected(rule)));
            WireServer.Request first = o.wire().get(0);
            WireServer.Request next = secondOf(hop, o, jdkDid);
            boolean repeat = hop.status() == 307 || hop.status() == 308;
            String method = repeat ? hop.method() : "GET";
            assertEquals("ok 200 " + method + " " + hop.tag(), o.answer(), o.describe());
            assertEquals(method, next.method(), next.describe());
            if (repeat) {
                assertEquals(first.bodyText(), next.bodyText(), next.describe());
                assertTrue(java.util.Arrays.equals(first.body(), next.body()), next.describe());
                assertEquals(first.headers(), next.headers(), "the same headers again\n" + o.describe());
            } else {
                assertBodiless(next);
                assertEquals(withoutBodyHeaders(first.headers()), withoutBodyHeaders(next.headers()),
                        "the first request's headers less the body's\n" + o.describe());
            }
        }

        /** The request that followed the redirect; the first one must be the JDK's own, to the byte. */
        WireServer.Request secondOf(Hop hop, Outcome o, Outcome jdkDid) {
            assertEquals(2, o.wire().size(), o.describe());
            assertTrue(o.wire().get(0).sameBytes(jdkDid.wire().get(0)), "the first request is the application's"
                    + "\nagent: " + o.wire().get(0).describe() + "\nno agent: " + jdkDid.wire().get(0).describe());
            WireServer.Request next = o.wire().get(1);
            assertEquals("/t/" + hop.tag(), next.path(), next.describe());
            return next;
        }

        /** The MBean's Counters rows with a count: "rule client action scope" to count. */
        Map<String, Long> counters() throws Exception {
            String answer = ok("counters");
            Map<String, Long> rows = new TreeMap<>();
            for (String row : answer.isEmpty() ? new String[0] : answer.split(";")) {
                int last = row.lastIndexOf(' ');
                rows.put(row.substring(0, last), Long.valueOf(row.substring(last + 1)));
            }
            return rows;
        }

        Map<String, Long> countsFromLog() throws IOException {
            Map<String, Long> counts = new TreeMap<>();
            for (LogLine l : LogLine.read(log)) {
                counts.merge(counterKey(l.text("rule"), l.text("client"), l.text("action"), l.text("scope")), 1L,
                        Long::sum);
            }
            return counts;
        }

        /** The settings once the agent has applied a config file edit (polled, 15 s at most). */
        String awaitSettings(java.util.function.Predicate<String> applied) throws Exception {
            String s = ok("settings");
            long deadline = System.nanoTime() + BOUND_NANOS;
            while (!applied.test(s) && System.nanoTime() < deadline) {
                Thread.sleep(100);
                s = ok("settings");
            }
            assertTrue(applied.test(s), "the config file was not applied: " + s);
            return s;
        }

        /** The first agent line on the child's stderr (15 s at most). */
        String awaitAgentLine() throws Exception {
            long deadline = System.nanoTime() + BOUND_NANOS;
            List<String> lines = agentLines();
            while (lines.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(100);
                lines = agentLines();
            }
            assertEquals(1, lines.size(), lines.toString());
            return lines.get(0);
        }

        List<String> agentLines() throws IOException {
            return Files.readAllLines(process.stderr).stream().filter(l -> l.startsWith("redirect-guard")).toList();
        }

        void assertNoAgentLines() throws IOException {
            assertEquals(List.of(), agentLines(), "agent lines on the child's stderr");
        }

        @Override
        public void close() throws Exception {
            process.close();
        }
    }

    private static String counterKey(String rule, String client, String action, String scope) {
        return rule + " " + client + " " + action + " " + (scope == null ? "none" : scope);
    }

    private static Map<String, Long> delta(Map<String, Long> before, Map<String, Long> after) {
        Map<String, Long> d = new TreeMap<>();
        after.forEach((k, v) -> {
            long diff = v - before.getOrDefault(k, 0L);
            if (diff != 0) {
                d.put(k, diff);
            }
        });
        return d;
    }

    /** The counter lines of {@code status}: "  rule client action scope count". */
    private static Map<String, Long> statusCounters(String status) {
        Map<String, Long> rows = new TreeMap<>();
        boolean in = false;
        for (String line : status.lines().toList()) {
            if (line.startsWith("counters (rule client action scope count")) {
                in = true;
            } else if (in && line.startsWith("  ")) {
                String row = line.trim();
                int last = row.lastIndexOf(' ');
                rows.put(row.substring(0, last), Long.valueOf(row.substring(last + 1)));
            } else {
                in = false;
            }
        }
        return rows;
    }

    /**
     * No body and no header about one; {@code Content-Length: 0} is allowed, as the client's own
     * framing: HttpClient before 19 sends it with every bodiless request (JDK-8283544).
     */
    private static void assertBodiless(WireServer.Request r) {
        assertEquals(0, r.body().length, r.describe());
        for (String name : r.headers().keySet()) {
            if (name.startsWith("content-") || name.equals("transfer-encoding")) {
                assertEquals("content-length: [0]", name + ": " + r.headers().get(name), r.describe());
            }
        }
    }

    private static TreeMap<String, List<String>> withoutBodyHeaders(Map<String, List<String>> headers) {
        TreeMap<String, List<String>> out = new TreeMap<>(headers);
        out.keySet().removeIf(n -> n.startsWith("content-") || n.equals("transfer-encoding"));
        return out;
    }

    private static TreeMap<String, List<String>> without(Map<String, List<String>> headers, List<String> names) {
        TreeMap<String, List<String>> out = new TreeMap<>(headers);
        out.keySet().removeAll(names);
        return out;
    }

    /** P1 and P2 in a setting: the server's two ports. */
    private static String ports(String text) {
        return text.replace("P1", String.valueOf(server.port1())).replace("P2", String.valueOf(server.port2()));
    }

    /** Replaced in one move, as deployment tools do, so the agent never reads half a file. */
    private static void writeAtomically(Path file, String content) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, content);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
