package dev.redirectguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Next to other agents and other Byte Buddies, on every JDK of the matrix, in enforce (and audit):
 *
 * <ul>
 * <li>The OpenTelemetry Java agent (as published), started before and after redirect-guard: an
 *     HttpURLConnection GET through 308 and (11+) an HttpClient POST through 303 end as the rules
 *     say (the 308 followed, the 303's GET without Content-Type, the caller's headers kept), each
 *     with a {@code corrected} line naming the application's frame; and OpenTelemetry still
 *     exports its CLIENT span of each call (logging exporter, on the child's stderr), with the
 *     status the application got. In audit, next to OpenTelemetry, everything is as with
 *     OpenTelemetry alone, and each call has its {@code observed} line.</li>
 * <li>An application with its own, older Byte Buddy (1.14) that installs Byte Buddy's agent into
 *     itself, redefines one of its classes and makes a subclass: all three work, from its own jar,
 *     and its calls follow the rules.</li>
 * <li>An agent ahead of redirect-guard that has loaded the JDK classes redirect-guard rewrites: they
 *     are rewritten at start-up all the same.</li>
 * </ul>
 */
class OtherAgentsIT extends WithEchoServer {
    private static final String OTEL_DIR = "opentelemetry-javaagent";
    private static final String PRELOAD_AGENT = "dev.redirectguard.it.child.app.PreloadAgent";

    @TestFactory
    List<DynamicTest> otherAgents() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JdkMatrix.Jdk jdk : JdkMatrix.selected()) {
            if (jdk.problem() != null) {
                tests.add(dynamicTest(jdk.label() + " available", () -> fail(jdk.problem())));
                continue;
            }
            tests.add(dynamicTest(jdk.label() + " OpenTelemetry javaagent first, redirect-guard second, enforce",
                    () -> otel(jdk, true)));
            tests.add(dynamicTest(jdk.label() + " redirect-guard first, OpenTelemetry javaagent second, enforce",
                    () -> otel(jdk, false)));
            tests.add(dynamicTest(jdk.label() + " OpenTelemetry javaagent first, redirect-guard second, audit:"
                    + " everything as with OpenTelemetry alone", () -> otelAudit(jdk)));
            tests.add(dynamicTest(jdk.label() + " an agent ahead that loaded the HTTP classes, redirect-guard second:"
                    + " they are rewritten before main, enforce", () -> preloaded(jdk)));
            tests.add(dynamicTest(jdk.label() + " application with its own Byte Buddy 1.14 (self-attach, redefine,"
                    + " subclass), enforce", () -> byteBuddy(jdk)));
        }
        return tests;
    }

    private static List<String> calls(JdkMatrix.Jdk jdk) {
        return jdk.version() >= 11 ? List.of("huc-get308", "hc-post303") : List.of("huc-get308");
    }

    private void otel(JdkMatrix.Jdk jdk, boolean otelFirst) throws Exception {
        String runId = "otel-" + (otelFirst ? "first" : "second") + "-" + jdk.label();
        AppChild.Run run = runCalls(jdk, runId, "enforce", otelOptions(otelFirst), AppChild.classPath(),
                "dev.redirectguard.it.child.app.AppCalls");
        assertRules(jdk, runId, run);
        assertSpans(jdk, runId, run);
    }

    /**
     * Audit next to OpenTelemetry: what the server receives, what the application gets and the
     * spans OpenTelemetry exports are those of a run with OpenTelemetry alone; each call the JDK
     * follows against a rule (or, for 308, does not follow) has one {@code observed} line.
     */
    private void otelAudit(JdkMatrix.Jdk jdk) throws Exception {
        List<String> seen = new ArrayList<>();
        for (String mode : new String[] {null, "audit"}) {
            String runId = "otel-" + (mode == null ? "alone" : "audit") + "-" + jdk.label();
            AppChild.Run run = runCalls(jdk, runId, mode, otelOptions(true), AppChild.classPath(),
                    "dev.redirectguard.it.child.app.AppCalls");
            assertSpans(jdk, runId, run);
            StringBuilder calls = new StringBuilder();
            for (String call : calls(jdk)) {
                calls.append(call).append(": ").append(run.outcomes().get(call)).append(" | target ")
                        .append(server.received("/" + runId + "/" + call + "/target").stream()
                                .map(EchoServer.Received::describe).toList())
                        .append('\n');
            }
            seen.add(calls.toString());
            if (mode == null) {
                assertEquals(List.of(), run.log(), "no agent, no log");
                continue;
            }
            assertEquals(seen.get(0), seen.get(1), "audit must leave every call as with OpenTelemetry alone\n"
                    + run.describe());
            assertOneLinePerCall(jdk, runId, run, "observed");
        }
    }

    private static List<String> otelOptions(boolean otelFirst) throws IOException {
        Path otelJar;
        try (var jars = Files.list(AppChild.LIBS.resolve(OTEL_DIR))) {
            otelJar = jars.filter(p -> p.getFileName().toString().startsWith("opentelemetry-javaagent")).findFirst()
                    .orElseThrow();
        }
        List<String> options = new ArrayList<>(List.of("-Dotel.traces.exporter=logging", "-Dotel.metrics.exporter=none",
                "-Dotel.logs.exporter=none", "-Dotel.service.name=redirect-guard-it"));
        String otelAgent = "-javaagent:" + otelJar;
        options.addAll(otelFirst ? List.of(otelAgent, "@redirect-guard") : List.of("@redirect-guard", otelAgent));
        return options;
    }

    /**
     * OpenTelemetry's logging exporter: one CLIENT span per call, of its HttpURLConnection and
     * HttpClient instrumentations, with the URL the application asked for and the status it got.
     */
    private void assertSpans(JdkMatrix.Jdk jdk, String runId, AppChild.Run run) {
        List<String> spans = run.stderr().lines().filter(l -> l.contains("LoggingSpanExporter") || l.contains(" CLIENT "))
                .toList();
        for (String call : calls(jdk)) {
            String url = server.base() + "/" + runId + "/" + call + "/start";
            String tracer = call.startsWith("huc") ? "io.opentelemetry.http-url-connection" : "io.opentelemetry.java-http-client";
            List<String> mine = spans.stream().filter(l -> l.contains(url) && l.contains(" CLIENT ") && l.contains(tracer))
                    .toList();
            assertEquals(1, mine.size(), call + ": one OpenTelemetry CLIENT span of " + tracer + " for " + url
                    + "\n" + run.describe());
            String status = String.valueOf(run.outcomes().get(call)).split(" ")[0];
            assertTrue(mine.get(0).contains("http.response.status_code=" + status), call + ": span status "
                    + status + ": " + mine.get(0));
        }
    }

    /**
     * An agent ahead of redirect-guard has loaded every class redirect-guard rewrites (start-up finds
     * them without reading every loaded class's name): the calls still end as the rules say, each
     * with its line.
     */
    private void preloaded(JdkMatrix.Jdk jdk) throws Exception {
        String runId = "preloaded-" + jdk.label();
        Path jar = ItFiles.premainJar(runDir(runId).resolve("preload-agent.jar"), PRELOAD_AGENT, false);
        AppChild.Run run = runCalls(jdk, runId, "enforce", List.of("-javaagent:" + jar, "@redirect-guard"),
                AppChild.classPath(), "dev.redirectguard.it.child.app.AppCalls");
        List<String> preloaded = run.stdout().lines().filter(l -> l.startsWith("preloaded\t")).toList();
        assertEquals(jdk.version() >= 11 ? 5 : 1, preloaded.size(), run.describe());
        assertTrue(preloaded.stream().allMatch(l -> l.endsWith("\ttrue")), preloaded + "\n" + run.describe());
        assertRules(jdk, runId, run);
    }

    private void byteBuddy(JdkMatrix.Jdk jdk) throws Exception {
        String runId = "bytebuddy-" + jdk.label();
        // allowAttachSelf: Byte Buddy attaches in-process instead of spawning a helper JVM (which the
        // matrix's JDK 21 build cannot: its jspawnhelper needs a newer glibc than this machine's).
        AppChild.Run run = runCalls(jdk, runId, "enforce", List.of("-Djdk.attach.allowAttachSelf=true"),
                AppChild.classPath("byte-buddy-1.14"),
                "dev.redirectguard.it.child.app.ByteBuddyApp");
        List<String> bb = run.stdout().lines().filter(l -> l.startsWith("bytebuddy\t")).toList();
        assertEquals(4, bb.size(), run.describe());
        assertTrue(bb.get(0).matches("bytebuddy\tjar\t.*/byte-buddy-1\\.14\\.\\d+\\.jar"), bb.get(0));
        assertEquals(List.of("bytebuddy\tinstalled\ttrue", "bytebuddy\tredefine\tredefined", "bytebuddy\tsubclass\tsubclass"),
                bb.subList(1, 4), run.describe());
        assertRules(jdk, runId, run);
    }

    /** @param mode null (no redirect-guard), "audit" or "enforce" */
    private AppChild.Run runCalls(JdkMatrix.Jdk jdk, String runId, String mode, List<String> options, String classPath,
                                  String main) throws Exception {
        Path dir = runDir(runId);
        List<String> args = new ArrayList<>(List.of(server.base() + "/" + runId));
        args.addAll(calls(jdk));
        AppChild.Run run = AppChild.run(jdk, dir, mode, null, options, classPath, main, args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.describe());
        return run;
    }

    private static Path runDir(String runId) {
        return ItFiles.BUILD_DIR.resolve("it-runs").resolve("other-agents").resolve(runId);
    }

    /** Enforce: the 308 followed with the same GET, the 303's GET without Content-Type, headers kept. */
    private void assertRules(JdkMatrix.Jdk jdk, String runId, AppChild.Run run) {
        String headers = " auth=Bearer token-lib cookie=sid=cookie-lib custom=xc-lib";
        for (String call : calls(jdk)) {
            assertEquals("200 ok:" + call, run.outcomes().get(call), call + "\n" + run.describe());
            List<EchoServer.Received> target = server.received("/" + runId + "/" + call + "/target");
            assertEquals(List.of("GET body=- ct=-" + headers), target.stream().map(EchoServer.Received::describe).toList(),
                    call + "\n" + run.describe());
        }
        assertOneLinePerCall(jdk, runId, run, "corrected");
    }

    /** One line per call, of its rule (308 not followed, Content-Type after 303), with the application's frame. */
    private static void assertOneLinePerCall(JdkMatrix.Jdk jdk, String runId, AppChild.Run run, String action) {
        for (String call : calls(jdk)) {
            List<LogLine> lines = run.log().stream()
                    .filter(l -> String.valueOf(l.text("from")).endsWith("/" + runId + "/" + call + "/start")).toList();
            assertEquals(1, lines.size(), call + ": one log line\n" + run.log());
            LogLine line = lines.get(0);
            assertEquals(call.startsWith("huc") ? "same-method-307-308" : "get-after-303", line.text("rule"), line.raw());
            assertEquals(action, line.text("action"), line.raw());
            assertTrue(line.text("caller").startsWith("dev.redirectguard.it.child.app."), line.raw());
        }
        assertEquals(calls(jdk).size(), run.log().size(), "log lines: " + run.log());
        assertEquals(List.of(), run.stderr().lines().filter(l -> l.startsWith("redirect-guard")).toList(),
                "agent complaints on stderr");
    }
}
