package dev.redirectguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The rules through the libraries applications use, as published, each on its usual default
 * path, on every JDK of the matrix the library runs on: a POST through 307, 308 and 303 and a GET
 * through 308, each with {@code Authorization}, {@code Cookie} and {@code X-Custom} (see
 * {@code LibCalls}), in a child JVM without the agent, in audit and in enforce.
 *
 * <ul>
 * <li>none: what reaches the server (start and target) and what the application gets, per call,
 *     written to {@code target/real-world/libraries.txt}.</li>
 * <li>audit: exactly the same, case for case; a log line for each call the JDK follows against a
 *     rule, none for the others, each naming the application's own frame as {@code caller}, never
 *     the library's.</li>
 * <li>enforce: where the JDK follows the redirect, the target receives what RFC 9110 asks (307/308:
 *     same method, body and headers; 303: a GET without body or Content-Type, the caller's headers
 *     kept on the same origin), the application gets the target's 200, and a {@code corrected}
 *     line per rule audit logged. Where the library itself follows the redirect, or does not
 *     follow it, the agent has nothing to do: enforce equals none, no line.</li>
 * </ul>
 *
 * <p>Libraries that cannot run on a JDK get no test on it (named "[Java 17+]").
 */
class LibrariesIT extends WithEchoServer {
    /** How a library gets a redirect followed, per call: decides what enforce must show. */
    enum Follow {
        /** HttpURLConnection or HttpClient follows it: the agent's rules apply. */
        JDK,
        /** The library turns the JDK's redirects off and returns the 3xx to the application. */
        NOT_FOLLOWED,
        /** The library turns the JDK's redirects off and follows it itself. */
        LIBRARY
    }

    record Library(String name, String segment, int minJdk, String childClass, List<String> calls,
                   Predicate<String> jdkFollows, Predicate<String> libraryFollows) {
        List<String> libDirs(JdkMatrix.Jdk jdk) {
            return switch (segment) {
                case "spring5" -> List.of("spring-5.3");
                case "spring6jdk" -> List.of("spring-6.2");
                case "jersey" -> List.of("jersey-2");
                case "google" -> List.of("google-http-client");
                case "jaxws" -> jdk.version() == 8 ? List.of() : List.of("jaxws-ri-2.3");
                default -> throw new IllegalArgumentException(segment);
            };
        }

        String label(JdkMatrix.Jdk jdk) {
            if (segment.equals("jaxws")) {
                return jdk.version() == 8 ? "JAX-WS (built into JDK 8)" : "JAX-WS RI 2.3.7";
            }
            return name;
        }

        Follow follow(String call) {
            return jdkFollows.test(call) ? Follow.JDK : libraryFollows.test(call) ? Follow.LIBRARY : Follow.NOT_FOLLOWED;
        }
    }

    private static final List<String> CALLS = List.of("post307", "post308", "post303", "get308");
    private static final String CHILD = "dev.redirectguard.it.child.lib.";

    static final List<Library> LIBRARIES = List.of(
            // SimpleClientHttpRequestFactory sets instanceFollowRedirects only for GET.
            new Library("Spring 5.3 RestTemplate SimpleClientHttpRequestFactory", "spring5", 8, "SpringChild",
                    CALLS, c -> c.startsWith("get"), c -> false),
            // new JdkClientHttpRequestFactory(): HttpClient.newHttpClient(), Redirect.NEVER; over a
            // client built with Redirect.NORMAL: HttpClient follows.
            new Library("Spring 6.2 RestTemplate JdkClientHttpRequestFactory [Java 17+]", "spring6jdk", 17,
                    "SpringJdkChild", prefixed(List.of("default-", "normal-")), c -> c.startsWith("normal-"), c -> false),
            new Library("Jersey 2.45 default connector", "jersey", 8, "JerseyChild", CALLS, c -> true, c -> false),
            // NetHttpTransport turns HttpURLConnection's redirects off; HttpRequest follows them.
            new Library("google-http-client 1.45.3 NetHttpTransport", "google", 8, "GoogleHttpChild", CALLS,
                    c -> false, c -> true),
            new Library("JAX-WS", "jaxws", 8, "JaxWsChild", List.of("post307", "post308", "post303"), c -> true,
                    c -> false));

    private static List<String> prefixed(List<String> prefixes) {
        List<String> out = new ArrayList<>();
        prefixes.forEach(p -> CALLS.forEach(c -> out.add(p + c)));
        return out;
    }

    private static final Map<String, Observed> BASELINES = new ConcurrentHashMap<>();
    private static final Path REPORT = ItFiles.BUILD_DIR.resolve("real-world").resolve("libraries.txt");

    @BeforeAll
    static void start() throws IOException {
        Files.createDirectories(REPORT.getParent());
        Files.writeString(REPORT, "# jdk | library | call | mode | caller got | start received | target received"
                + " | log (rule action caller)\n");
    }

    @TestFactory
    List<DynamicTest> libraries() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JdkMatrix.Jdk jdk : JdkMatrix.selected()) {
            if (jdk.problem() != null) {
                tests.add(dynamicTest(jdk.label() + " available", () -> fail(jdk.problem())));
                continue;
            }
            for (Library lib : LIBRARIES) {
                if (jdk.version() < lib.minJdk()) {
                    continue;
                }
                for (String mode : new String[] {"none", "audit", "enforce"}) {
                    tests.add(dynamicTest(jdk.label() + " " + lib.label(jdk) + " " + mode, () -> check(jdk, lib, mode)));
                }
            }
        }
        return tests;
    }

    /** Per call: what the application got, what start and target received, and the log lines. */
    record Observed(Map<String, String> calls, Map<String, List<LogLine>> lines, AppChild.Run run) {
    }

    private void check(JdkMatrix.Jdk jdk, Library lib, String mode) throws Exception {
        String key = jdk.label() + "/" + lib.segment();
        String runId = lib.segment() + "-" + jdk.label() + "-" + mode;
        Path dir = ItFiles.BUILD_DIR.resolve("it-runs").resolve("libraries").resolve(runId);
        String base = server.base() + "/" + runId;
        List<String> args = new ArrayList<>();
        if (lib.childClass().equals("SpringChild")) {
            args.add("org.springframework.http.client.SimpleClientHttpRequestFactory");
        }
        args.add(base);
        AppChild.Run run = AppChild.run(jdk, dir, mode.equals("none") ? null : mode, null, List.of(),
                AppChild.classPath(lib.libDirs(jdk).toArray(String[]::new)), CHILD + lib.childClass(),
                args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.describe());
        Observed o = observe(runId, lib, run);
        report(jdk, lib, mode, o);
        for (String call : lib.calls()) {
            assertEquals(1, server.received("/" + runId + "/" + call + "/start").size(),
                    call + ": the start request must arrive once\n" + run.describe());
        }
        List<String> agentComplaints = run.stderr().lines().filter(l -> l.startsWith("redirect-guard")).toList();
        assertEquals(List.of(), agentComplaints, "agent complaints on stderr");
        if (mode.equals("none")) {
            assertEquals(List.of(), run.log(), "no agent, no log");
            BASELINES.put(key, o);
            return;
        }
        Observed none = BASELINES.get(key);
        assertTrue(none != null, "the run without agent failed");
        for (LogLine line : run.log()) {
            assertTrue(line.fields() != null, "not JSON: " + line.raw());
            String caller = line.text("caller");
            assertTrue(caller != null && caller.startsWith(CHILD + callerClass(lib) + ".")
                            && caller.contains("(" + callerClass(lib) + ".java:"),
                    "caller must be the application's frame, not the library's: " + line.raw());
            assertEquals(mode, line.text("mode"), line.raw());
        }
        if (mode.equals("audit")) {
            assertEquals(none.calls(), o.calls(), "audit must leave every call as without the agent");
            for (String call : lib.calls()) {
                List<LogLine> lines = o.lines().getOrDefault(call, List.of());
                lines.forEach(l -> assertEquals("observed", l.text("action"), l.raw()));
                if (lib.follow(call) != Follow.JDK) {
                    assertEquals(List.of(), lines, call + ": the JDK does not follow it; nothing to log");
                }
            }
            BASELINES.put(key + "/audit", o);
            return;
        }
        Observed audit = BASELINES.get(key + "/audit");
        assertTrue(audit != null, "the audit run failed");
        List<String> wrong = new ArrayList<>();
        for (String call : lib.calls()) {
            String got = o.calls().get(call);
            String expected = switch (lib.follow(call)) {
                case JDK -> rfc(lib, call);
                default -> none.calls().get(call);
            };
            if (!expected.equals(got)) {
                wrong.add(call + " (" + lib.follow(call) + ")\n  expected " + expected + "\n  got      " + got);
            }
            Set<String> auditRules = rules(audit.lines().get(call));
            Set<String> enforceRules = rules(o.lines().get(call));
            if (!auditRules.equals(enforceRules)) {
                wrong.add(call + ": rules logged in audit " + auditRules + ", in enforce " + enforceRules);
            }
            for (LogLine l : o.lines().getOrDefault(call, List.of())) {
                if (!l.text("action").equals("corrected")) {
                    wrong.add(call + ": not corrected: " + l.raw());
                }
            }
        }
        assertEquals(List.of(), wrong, "enforce\n" + run.describe());
    }

    /** The class whose frame must be the caller: SpringJdkChild runs its calls in SpringChild. */
    private static String callerClass(Library lib) {
        return lib.childClass().equals("SpringJdkChild") ? "SpringChild" : lib.childClass();
    }

    /** What RFC 9110 asks of a redirect the JDK follows, in the terms of {@link #describe}. */
    private static String rfc(Library lib, String call) {
        boolean soap = lib.segment().equals("jaxws");
        String ct = soap ? "text/xml; charset=utf-8" : "text/plain";
        String headers = " auth=Bearer token-lib cookie=sid=cookie-lib custom=xc-lib";
        String method = call.contains("post") ? "POST" : "GET";
        String body = method.equals("POST") ? (soap ? "soap(body-" + call + ")" : "body-" + call) : "-";
        String sent = method + " body=" + body + " ct=" + (method.equals("POST") ? ct : "-") + headers;
        String target = call.endsWith("303") ? "GET body=- ct=-" + headers : sent;
        return "got 200 ok:" + call + " | start " + sent + " | target " + target;
    }

    private static Observed observe(String runId, Library lib, AppChild.Run run) {
        Map<String, String> calls = new java.util.LinkedHashMap<>();
        Map<String, List<LogLine>> lines = new java.util.LinkedHashMap<>();
        for (String call : lib.calls()) {
            calls.put(call, describe(run.outcomes().get(call), server.received("/" + runId + "/" + call + "/start"),
                    server.received("/" + runId + "/" + call + "/target")));
        }
        for (LogLine l : run.log()) {
            String from = l.fields() == null ? "" : String.valueOf(l.text("from"));
            String call = Arrays.stream(lib.calls().toArray(String[]::new))
                    .filter(c -> from.endsWith("/" + runId + "/" + c + "/start")).findFirst().orElse("?");
            lines.computeIfAbsent(call, c -> new ArrayList<>()).add(l);
        }
        return new Observed(calls, lines, run);
    }

    static String describe(String outcome, List<EchoServer.Received> start, List<EchoServer.Received> target) {
        return "got " + (outcome == null ? "(no result)" : outcome)
                + " | start " + String.join(" + ", start.stream().map(EchoServer.Received::describe).toList())
                + " | target " + (target.isEmpty() ? "(nothing)"
                : String.join(" + ", target.stream().map(EchoServer.Received::describe).toList()));
    }

    private static Set<String> rules(List<LogLine> lines) {
        Set<String> out = new TreeSet<>();
        if (lines != null) {
            lines.forEach(l -> out.add(l.text("rule")));
        }
        return out;
    }

    private static synchronized void report(JdkMatrix.Jdk jdk, Library lib, String mode, Observed o) throws IOException {
        StringBuilder b = new StringBuilder();
        for (String call : lib.calls()) {
            StringBuilder log = new StringBuilder();
            for (LogLine l : o.lines().getOrDefault(call, List.of())) {
                log.append(l.text("rule")).append(' ').append(l.text("action")).append(' ').append(l.text("caller"))
                        .append(' ').append(l.text("detail")).append("; ");
            }
            b.append(jdk.label()).append(" | ").append(lib.label(jdk)).append(" | ").append(call).append(" | ")
                    .append(mode).append(" | ").append(o.calls().get(call)).append(" | log ")
                    .append(log.length() == 0 ? "-" : log.toString()).append('\n');
        }
        Files.writeString(REPORT, b.toString(), StandardOpenOption.APPEND);
    }
}
