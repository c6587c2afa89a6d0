package dev.redirectguard.it;

import dev.redirectguard.report.FlatJson;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.redirectguard.it.child.ChildCase;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The HttpClient redirect cases over HTTP/2, on every JDK of the matrix from 11 on: the agent hooks
 * java.net.http above the protocol layer, so over HTTP/2 it must do what it does over HTTP/1.1.
 * Two transports, each against Jetty in the test JVM ({@link Http2Servers}):
 * <ul>
 * <li>{@code h2}: https origins, TLS with ALPN; one client asks for HTTP_2 and must get it on every
 * request of both hops (ALPN also offers http/1.1, so a fallback would show, and fail);</li>
 * <li>{@code h2c}: http origins; the client asks for HTTP_2 and so offers {@code Upgrade: h2c}; a new
 * client per case, so every case starts with that offer. Which requests end up HTTP/2 is recorded
 * and checked against {@link #h2cRule}.</li>
 * </ul>
 * Per transport and JDK: a run without the agent (the baseline, reported to target/http2/&lt;transport&gt;/),
 * then audit (same as the baseline case for case, protocols included, and log lines exactly for its
 * violations) and enforce (every case as the Oracle says, a "corrected" line per violation), with the
 * checks of {@link RedirectMatrixIT}, plus the protocol of every request and final response. Each run
 * keeps a protocols.tsv (per case: protocol, body framing and connection of each request) beside its
 * other files in target/it-runs/; target/http2/summary.txt has one line per run.
 */
class Http2RedirectIT {
    private static final Path BUILD_DIR = ItFiles.BUILD_DIR;
    private static final Path AGENT_JAR = ItFiles.AGENT_JAR;
    private static final Path CHILD_CLASSES = ItFiles.CHILD_CLASSES;
    private static final Path REPORT_DIR = BUILD_DIR.resolve("http2");
    private static final List<AgentMode> MODES = List.of(AgentMode.NONE, AgentMode.AUDIT, AgentMode.ENFORCE);
    private static final String HTTP_2 = "HTTP/2.0";

    enum Transport {
        H2("h2", "https", List.of("--version=HTTP_2")),
        H2C("h2c", "http", List.of("--version=HTTP_2", "--client-per-case"));

        final String label;
        final String scheme;
        final List<String> runnerOptions;

        Transport(String label, String scheme, List<String> runnerOptions) {
            this.label = label;
            this.scheme = scheme;
            this.runnerOptions = runnerOptions;
        }
    }

    /** A run's result plus how each request and final response went over the wire. */
    record Http2Run(RunResult run, Map<String, List<Http2Servers.Arrival>> startArrivals,
                    Map<String, List<Http2Servers.Arrival>> targetArrivals, Map<String, String> responseVersions) {
    }

    private static Http2Servers servers;
    private static ChildJvm childJvm;
    private static RunChecks checks;
    private static final Map<String, Http2Run> baselines = new LinkedHashMap<>();
    private static final List<String> summary = new ArrayList<>();

    @BeforeAll
    static void startServers() throws Exception {
        TestCertificate tls = TestCertificate.generate(BUILD_DIR.resolve("it-tls-http2"));
        servers = Http2Servers.start(tls);
        childJvm = new ChildJvm(CHILD_CLASSES, ItFiles.snapshotOfAgentJar("it-agent-http2"), tls);
        checks = new RunChecks(servers.recorder());
        Files.createDirectories(REPORT_DIR);
    }

    @AfterAll
    static void stopServers() throws IOException {
        if (servers != null) {
            servers.close();
        }
        if (!summary.isEmpty()) {
            Files.write(REPORT_DIR.resolve("summary.txt"), summary);
        }
    }

    /**
     * Every method x status x same/other origin, with a string body except for GET and HEAD, plus POST
     * without a body, POST and PUT with an input-stream body (no Content-Length: a stream of DATA frames
     * over HTTP/2, chunked over HTTP/1.1) and sendAsync for POST 303/307: 104 cases.
     */
    static List<RedirectCase> cases(Transport transport) {
        List<RedirectCase> cases = new ArrayList<>();
        for (String method : List.of("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH")) {
            boolean bodyless = method.equals("GET") || method.equals("HEAD");
            List<String> bodies = bodyless ? List.of("none")
                    : method.equals("POST") ? List.of("none", "string", "input-stream")
                    : method.equals("PUT") ? List.of("string", "input-stream")
                    : List.of("string");
            for (int status : CaseTable.STATUSES) {
                for (String body : bodies) {
                    for (boolean same : new boolean[] {true, false}) {
                        cases.add(new RedirectCase(Client.HC, transport.scheme, method, status, body, same, "send"));
                    }
                }
            }
        }
        for (int status : new int[] {303, 307}) {
            for (boolean same : new boolean[] {true, false}) {
                cases.add(new RedirectCase(Client.HC, transport.scheme, "POST", status, "string", same, "async"));
            }
        }
        return List.copyOf(cases);
    }

    @TestFactory
    Stream<DynamicTest> http2Matrix() {
        List<DynamicTest> tests = new ArrayList<>();
        for (JdkMatrix.Jdk jdk : JdkMatrix.selected()) {
            if (jdk.version() < Client.HC.minimumJdk) {
                continue;
            }
            if (jdk.problem() != null) {
                tests.add(dynamicTest(jdk.label() + " available", () -> fail(jdk.problem())));
                continue;
            }
            for (Transport transport : Transport.values()) {
                for (AgentMode mode : MODES) {
                    tests.add(dynamicTest(label(jdk, transport, mode), () -> runAndCheck(jdk, transport, mode)));
                }
            }
        }
        return tests.stream();
    }

    static String label(JdkMatrix.Jdk jdk, Transport transport, AgentMode mode) {
        return jdk.label() + " " + Client.HC.logName + " " + transport.label + " " + mode.agentValue();
    }

    private void runAndCheck(JdkMatrix.Jdk jdk, Transport transport, AgentMode mode) throws Exception {
        String label = label(jdk, transport, mode);
        String key = jdk.label() + " " + transport.label;
        Http2Run baseline = baselines.get(key);
        if (mode != AgentMode.NONE) {
            assertTrue(childJvm.hasAgent(), label + ": agent jar missing at " + AGENT_JAR
                    + ": build the agent module first (mvn -B verify from the top directory)");
            assertNotNull(baseline, label + ": no baseline for " + key + ": its run without the agent did not complete");
        }
        Mismatches mm = new Mismatches(label);
        RunFiles files = RunFiles.in(BUILD_DIR.resolve("it-runs").resolve(label.replace(' ', '-')));
        Http2Run h2 = execute(jdk, transport, mode, files, mm);
        RunResult run = h2.run();
        switch (mode) {
            case NONE -> {
                checks.baselineReachedServers(run, mm);
                baselines.put(key, h2);
                Path dir = REPORT_DIR.resolve(transport.label);
                Files.createDirectories(dir);
                BaselineReport.write(dir, run);
                BaselineReport.writeSummary(dir, baselines.entrySet().stream()
                        .filter(e -> e.getKey().endsWith(" " + transport.label)).map(e -> e.getValue().run()).toList());
            }
            case AUDIT -> {
                checks.identicalToBaseline(baseline.run(), run, mm);
                checks.logMatches(baseline.run(), run, Oracle::auditLog, Set.of("observed"), mm);
                sameProtocolsAsBaseline(baseline, h2, mm);
            }
            case ENFORCE -> {
                checks.matchesOracle(baseline.run(), run, mm);
                checks.logMatches(baseline.run(), run, Oracle::enforceLog, Set.of("corrected", "refused"), mm);
            }
            default -> throw new IllegalArgumentException(mode.name());
        }
        checkProtocols(transport, h2, mm);
        String line = String.format("[%s] %d cases, requests %s, responses %s, child JVM %.1f s, %d log lines, %d mismatches",
                label, run.cases().size(), protocolCounts(h2), responseCounts(h2), run.elapsed().toMillis() / 1000.0,
                run.log().size(), mm.size());
        System.out.println(line);
        summary.add(line);
        mm.assertNone(files.mismatches());
    }

    /** Runs the case table in a child JVM and gathers what the caller and the servers saw, and over which protocol. */
    private Http2Run execute(JdkMatrix.Jdk jdk, Transport transport, AgentMode mode, RunFiles files, Mismatches mm)
            throws IOException, InterruptedException {
        List<RedirectCase> cases = cases(transport);
        ItFiles.recreate(files.dir());
        servers.prepare(cases);
        RecordingServers recorder = servers.recorder();
        Files.write(files.cases(), cases.stream()
                .map(c -> new ChildCase(c.id(), c.invocation(), c.method(), c.bodyMode(), recorder.startUrl(c)).toLine())
                .toList());

        ChildJvm.Outcome outcome = childJvm.run(jdk, Client.HC, mode, files, transport.runnerOptions);
        if (outcome.exitCode() != 0) {
            mm.add("child JVM exited with " + outcome.exitCode() + ": " + String.join(" ", outcome.command())
                    + "\nstderr:\n" + ChildJvm.tail(files.stderr()));
        }

        Map<String, ChildResult> results = new LinkedHashMap<>();
        Map<String, String> versions = new LinkedHashMap<>();
        if (Files.exists(files.results())) {
            for (String line : Files.readAllLines(files.results())) {
                ChildResult r = ChildResult.fromJson(line);
                results.put(r.id(), r);
                Object version = FlatJson.parse(line).get("version");
                if (version != null) {
                    versions.put(r.id(), version.toString());
                }
            }
        }
        Map<String, CaseObservation> observed = new LinkedHashMap<>();
        Map<String, List<Http2Servers.Arrival>> startArrivals = new LinkedHashMap<>();
        Map<String, List<Http2Servers.Arrival>> targetArrivals = new LinkedHashMap<>();
        Set<String> ids = new HashSet<>();
        for (RedirectCase c : cases) {
            ids.add(c.id());
            ChildResult r = results.get(c.id());
            if (r == null) {
                mm.add(c.id(), "caller result", "a result line", "none");
            }
            observed.put(c.id(), new CaseObservation(c, r, recorder.received(c.startPath()), recorder.received(c.targetPath())));
            startArrivals.put(c.id(), servers.arrivals(c.startPath()));
            targetArrivals.put(c.id(), servers.arrivals(c.targetPath()));
        }
        results.keySet().stream().filter(id -> !ids.contains(id)).forEach(id -> mm.add("result for unknown case " + id));
        recorder.unknownPaths().forEach(p -> mm.add("request to a path of no case: " + p));
        RunResult run = new RunResult(jdk, Client.HC, mode, observed, LogLine.read(files.agentLog()), outcome.elapsed());
        List<String> protocols = new ArrayList<>();
        protocols.add("case\tstart requests\ttarget requests\tfinal response\tcaller");
        for (CaseObservation o : observed.values()) {
            String id = o.c().id();
            protocols.add(id + "\t" + describe(startArrivals.get(id)) + "\t" + describe(targetArrivals.get(id)) + "\t"
                    + versions.get(id) + "\t" + (o.result() == null ? "no result" : o.result().outcome()));
        }
        Files.write(files.dir().resolve("protocols.tsv"), protocols);
        return new Http2Run(run, startArrivals, targetArrivals, versions);
    }

    /**
     * h2: every request of both hops arrived as HTTP/2. h2c: as {@link #h2cRule} says. Both: the caller's
     * final response came over the protocol its last request arrived over.
     */
    private static void checkProtocols(Transport transport, Http2Run h2, Mismatches mm) {
        for (CaseObservation o : h2.run().cases().values()) {
            String id = o.c().id();
            List<Http2Servers.Arrival> start = h2.startArrivals().get(id);
            List<Http2Servers.Arrival> target = h2.targetArrivals().get(id);
            if (transport == Transport.H2) {
                start.stream().filter(a -> !a.http2()).forEach(a -> mm.add(id, "start request protocol", HTTP_2, a.toString()));
                target.stream().filter(a -> !a.http2()).forEach(a -> mm.add(id, "target request protocol", HTTP_2, a.toString()));
            } else {
                Set<String> http2Connections = new HashSet<>();
                h2cRule(id, "start", o.startRequests(), start, http2Connections, mm);
                h2cRule(id, "target", o.targetRequests(), target, http2Connections, mm);
            }
            List<Http2Servers.Arrival> last = target.isEmpty() ? start : target;
            if (o.result() != null && o.result().status() != null && !last.isEmpty()) {
                String want = last.get(last.size() - 1).http2() ? "HTTP_2" : "HTTP_1_1";
                String got = h2.responseVersions().get(id);
                if (!want.equals(got)) {
                    mm.add(id, "final response version (last request arrived as " + last.get(last.size() - 1) + ")", want, got);
                }
            }
        }
    }

    /**
     * Cleartext HTTP/2 with a new client per case: the JDK's client offers {@code Upgrade: h2c} on a new
     * connection; our server accepts it on a request without a body and declines it on one with a body
     * (RFC 9110 section 7.8 lets it). So a request without a body must arrive as HTTP/2 (upgraded, or on
     * a connection of this case that is HTTP/2 already), and one with a body as HTTP/1.1. A JDK that fell
     * back to HTTP/1.1 where it could have upgraded, or used HTTP/2 on a connection it never upgraded,
     * fails here. Whether the JDK offers the upgrade on a request with a body is recorded, not asserted.
     */
    private static void h2cRule(String id, String hop, List<RecordedRequest> requests, List<Http2Servers.Arrival> arrivals,
                                Set<String> http2Connections, Mismatches mm) {
        for (int i = 0; i < arrivals.size(); i++) {
            Http2Servers.Arrival a = arrivals.get(i);
            boolean body = a.framing().equals("chunked") || (i < requests.size() && !requests.get(i).body().isEmpty());
            String want = body ? "HTTP/1.1" : HTTP_2;
            if (!want.equals(a.protocol())) {
                mm.add(id, hop + " request protocol (" + (body ? "with a body: upgrade declined" : "no body: upgrade accepted")
                        + ")", want, a + " [" + a.framing() + "]");
            }
            if (a.http2() && !a.upgradeOffer() && !http2Connections.contains(a.connection())) {
                mm.add(id, hop + " request", "HTTP/2 by upgrade, or on a connection upgraded before", a + " on a new connection");
            }
            if (a.http2()) {
                http2Connections.add(a.connection());
            }
        }
    }

    /** Audit must not change how requests travel: the same protocols, request for request, as without the agent. */
    private static void sameProtocolsAsBaseline(Http2Run baseline, Http2Run run, Mismatches mm) {
        for (String id : baseline.run().cases().keySet()) {
            List<String> wantStart = protocols(baseline.startArrivals().get(id));
            List<String> gotStart = protocols(run.startArrivals().get(id));
            if (!wantStart.equals(gotStart)) {
                mm.add(id, "start request protocols", wantStart, gotStart);
            }
            List<String> wantTarget = protocols(baseline.targetArrivals().get(id));
            List<String> gotTarget = protocols(run.targetArrivals().get(id));
            if (!wantTarget.equals(gotTarget)) {
                mm.add(id, "target request protocols", wantTarget, gotTarget);
            }
            if (!java.util.Objects.equals(baseline.responseVersions().get(id), run.responseVersions().get(id))) {
                mm.add(id, "final response version", baseline.responseVersions().get(id), run.responseVersions().get(id));
            }
        }
    }

    private static String describe(List<Http2Servers.Arrival> arrivals) {
        return arrivals.stream().map(a -> a + " [" + a.framing() + ", connection " + a.connection() + "]").toList().toString();
    }

    private static List<String> protocols(List<Http2Servers.Arrival> arrivals) {
        return arrivals.stream().map(Http2Servers.Arrival::toString).toList();
    }

    /** e.g. {HTTP/1.1 (Upgrade: h2c offered)=70, HTTP/2.0=138}. */
    private static Map<String, Integer> protocolCounts(Http2Run h2) {
        Map<String, Integer> counts = new TreeMap<>();
        Stream.concat(h2.startArrivals().values().stream(), h2.targetArrivals().values().stream())
                .flatMap(List::stream).forEach(a -> counts.merge(a.toString(), 1, Integer::sum));
        return counts;
    }

    private static Map<String, Integer> responseCounts(Http2Run h2) {
        Map<String, Integer> counts = new TreeMap<>();
        h2.responseVersions().values().forEach(v -> counts.merge(v, 1, Integer::sum));
        return counts;
    }

}
