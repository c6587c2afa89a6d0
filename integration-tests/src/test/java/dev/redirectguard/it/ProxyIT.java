package dev.redirectguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * HttpURLConnection, and HttpClient (11+, its default proxy selector), through an HTTP proxy
 * ({@code -Dhttp.proxyHost/-Dhttp.proxyPort}, loopback not exempted:
 * {@code -Dhttp.nonProxyHosts=}), a minimal forward proxy in the test JVM
 * ({@link ForwardProxy}) in front of the echo server, on every JDK of the matrix, without the
 * agent, in audit and in enforce. Every request must arrive through the proxy (its
 * {@code Forwarded} header), both hops. Audit equals no agent and logs exactly the calls the JDK
 * alone sends against the rules; enforce delivers RFC 9110: POST
 * through 307 and 308 the same POST, through 303 a GET without body with the caller's headers,
 * through 307 to another origin without {@code Authorization} and {@code Cookie}, GET through 308
 * followed.
 */
class ProxyIT {
    private static final List<String> CALLS = List.of("post307", "post308", "post303", "xpost307", "get308");
    private static EchoServer echo;
    private static ForwardProxy proxy;
    private static final Map<String, Map<String, String>> BASELINES = new ConcurrentHashMap<>();
    private static final Path REPORT = ItFiles.BUILD_DIR.resolve("real-world").resolve("proxy.txt");

    @BeforeAll
    static void start() throws IOException {
        echo = new EchoServer();
        proxy = new ForwardProxy();
        Files.deleteIfExists(REPORT); // report() appends: this build's runs only
    }

    @AfterAll
    static void stop() {
        if (proxy != null) {
            proxy.close();
        }
        if (echo != null) {
            echo.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> proxy() {
        return JdkMatrix.testsPerJdk((jdk, tests) -> {
            for (String mode : new String[] {"none", "audit", "enforce"}) {
                tests.add(dynamicTest(jdk.label() + (jdk.version() >= 11 ? " HttpURLConnection and HttpClient"
                        : " HttpURLConnection") + " through an HTTP proxy " + mode, () -> run(jdk, mode)));
            }
        });
    }

    private static List<String> calls(JdkMatrix.Jdk jdk) {
        return AppCallsOracle.calls(jdk, CALLS);
    }

    private void run(JdkMatrix.Jdk jdk, String mode) throws Exception {
        String runId = "proxy-" + jdk.label() + "-" + mode;
        List<String> args = new ArrayList<>(List.of(echo.base() + "/" + runId));
        args.addAll(calls(jdk));
        AppChild.Run run = AppChild.run(jdk, ItFiles.BUILD_DIR.resolve("it-runs").resolve("proxy").resolve(runId),
                mode.equals("none") ? null : mode, null,
                List.of("-Dhttp.proxyHost=127.0.0.1", "-Dhttp.proxyPort=" + proxy.port(), "-Dhttp.nonProxyHosts="),
                AppChild.classPath(), "dev.redirectguard.it.child.app.AppCalls", args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.describe());
        Map<String, String> observed = new LinkedHashMap<>();
        for (String call : calls(jdk)) {
            List<EchoServer.Received> all = new ArrayList<>(echo.received("/" + runId + "/" + call + "/start"));
            List<EchoServer.Received> target = echo.received("/" + runId + "/" + call + "/target");
            all.addAll(target);
            for (EchoServer.Received r : all) {
                assertEquals("by=rg-proxy", r.forwarded(), call + ": a request went around the proxy");
            }
            observed.put(call, AppCallsOracle.observed(run, call, target));
        }
        report(jdk, mode, observed);
        assertTrue(proxy.forwarded.stream().anyMatch(l -> l.contains("/" + runId + "/")), "nothing went through the proxy");
        if (mode.equals("none")) {
            assertEquals(List.of(), run.log());
            BASELINES.put(jdk.label(), observed);
            return;
        }
        Map<String, String> none = BASELINES.get(jdk.label());
        assertTrue(none != null, "the run without agent failed");
        for (LogLine line : run.log()) {
            assertTrue(String.valueOf(line.text("caller")).startsWith("dev.redirectguard.it.child.app."), line.raw());
            assertEquals(mode.equals("audit") ? "observed" : "corrected", line.text("action"), line.raw());
        }
        if (mode.equals("audit")) {
            assertEquals(none, observed, "audit must leave every call as without the agent");
        }
        assertEquals(List.of(), AppCallsOracle.mismatches(mode, runId, calls(jdk), run, observed, none), run.describe());
        assertEquals(List.of(), run.stderr().lines().filter(l -> l.startsWith("redirect-guard")).toList());
    }

    private static synchronized void report(JdkMatrix.Jdk jdk, String mode, Map<String, String> observed)
            throws IOException {
        Files.createDirectories(REPORT.getParent());
        StringBuilder b = new StringBuilder();
        observed.forEach((call, o) -> b.append(jdk.label()).append(" | ").append(call).append(" | ").append(mode)
                .append(" | ").append(o).append('\n'));
        Files.writeString(REPORT, b.toString(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
