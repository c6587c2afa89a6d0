package dev.redirectguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * A real nginx (Debian's package; .ci/run installs it) answers the redirects, with {@code return
 * 307|308|303 <url>;}, in front of the recording echo server ({@code proxy_pass}), on loopback, for
 * both JDK clients, without the agent, in audit and in enforce, on every JDK of the matrix
 * (HttpClient 11+); over plain HTTP/1.1, and over TLS (the test's self-signed certificate) where
 * HttpClient speaks HTTP/2 (ALPN) and HttpURLConnection HTTP/1.1, as nginx's access log shows.
 *
 * <p>Started by the test as this user, from a config it writes under {@code target/nginx/}
 * (prefix, pid, logs and temp paths there, {@code daemon off}), stopped at the end. Calls
 * ({@code AppCalls}): POST through 307, 308 and 303 to nginx itself (the target proxied to the
 * echo server), and a POST through 307 to another origin (plain: the echo server directly, by the
 * name {@code localhost}; TLS: nginx by the name {@code localhost}). Audit must leave every call as
 * without the agent and log each call that the JDK sends against the rules; enforce must deliver
 * RFC 9110 at the target: 307/308 the same POST with body and headers, 303 a GET without body or
 * Content-Type with the caller's headers, and to the other origin the POST without
 * {@code Authorization} and {@code Cookie}.
 */
class NginxIT {
    private static final List<String> POSTS = List.of("post307", "post308", "post303", "xpost307");
    private static EchoServer echo;
    private static Process nginx;
    private static int port;
    private static int tlsPort;
    private static TestCertificate tls;
    private static String problem;
    private static Path dir;
    private static final Map<String, Map<String, String>> BASELINES = new ConcurrentHashMap<>();
    private static final Path REPORT = ItFiles.BUILD_DIR.resolve("real-world").resolve("nginx.txt");

    @BeforeAll
    static void start() throws Exception {
        echo = new EchoServer();
        dir = ItFiles.BUILD_DIR.resolve("nginx");
        String binary = findNginx();
        if (binary == null) {
            problem = "nginx is not installed: install Debian's package 'nginx' (apt-get install -y nginx;"
                    + " .ci/run does)";
            return;
        }
        Files.createDirectories(dir.resolve("logs"));
        // nginx appends: an earlier build's lines (same run ids, other ports) must not be read as this one's.
        for (String log : List.of("logs/access.log", "logs/error.log")) {
            Files.deleteIfExists(dir.resolve(log));
        }
        Files.deleteIfExists(REPORT);
        Files.createDirectories(dir.resolve("temp"));
        port = freePort();
        tlsPort = freePort();
        tls = TestCertificate.generate(dir.resolve("tls"));
        Path certPem = dir.resolve("tls/server.pem");
        Path keyPem = dir.resolve("tls/server.key");
        tls.writePem(certPem, keyPem);
        String conf = String.join("\n",
                "daemon off;",
                "master_process off;",
                "worker_processes 1;",
                "pid " + dir.resolve("nginx.pid") + ";",
                "error_log " + dir.resolve("logs/error.log") + " info;",
                "events { worker_connections 64; }",
                "http {",
                "  log_format protocols '$server_port $server_protocol $request_method $uri';",
                "  access_log " + dir.resolve("logs/access.log") + " protocols;",
                "  client_body_temp_path " + dir.resolve("temp/body") + ";",
                "  proxy_temp_path " + dir.resolve("temp/proxy") + ";",
                "  fastcgi_temp_path " + dir.resolve("temp/fastcgi") + ";",
                "  uwsgi_temp_path " + dir.resolve("temp/uwsgi") + ";",
                "  scgi_temp_path " + dir.resolve("temp/scgi") + ";",
                "  server {",
                "    listen 127.0.0.1:" + port + ";",
                redirects("http://127.0.0.1:" + port, "http://localhost:" + echo.port()),
                "  }",
                "  server {",
                "    listen 127.0.0.1:" + tlsPort + " ssl http2;",
                "    ssl_certificate " + certPem + ";",
                "    ssl_certificate_key " + keyPem + ";",
                redirects("https://127.0.0.1:" + tlsPort, "https://localhost:" + tlsPort),
                "  }",
                "}", "");
        Path confFile = dir.resolve("nginx.conf");
        Files.writeString(confFile, conf);
        nginx = new ProcessBuilder(binary, "-p", dir.toString(), "-c", confFile.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("logs/console.log").toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            if (!nginx.isAlive()) {
                problem = "nginx exited " + nginx.exitValue() + ": " + Files.readString(dir.resolve("logs/console.log"));
                return;
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
                return;
            } catch (IOException e) {
                Thread.sleep(50);
            }
        }
        problem = "nginx did not listen on " + port + " in 20 s";
    }

    /** The locations of one server: redirects on /start, everything else to the echo server. */
    private static String redirects(String self, String other) {
        return String.join("\n",
                "    location ~ ^(?<p>/.*-x[a-z]+307)/start$ { return 307 " + other + "$p/target; }",
                "    location ~ ^(?<p>/.*307)/start$ { return 307 " + self + "$p/target; }",
                "    location ~ ^(?<p>/.*308)/start$ { return 308 " + self + "$p/target; }",
                "    location ~ ^(?<p>/.*303)/start$ { return 303 " + self + "$p/target; }",
                "    location / { proxy_pass http://127.0.0.1:" + echo.port() + "; }");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private static String findNginx() {
        for (String d : (System.getenv("PATH") + ":/usr/sbin:/usr/local/sbin:/sbin").split(":")) {
            Path p = Path.of(d, "nginx");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (nginx != null) {
            nginx.destroy();
            if (!nginx.waitFor(10, TimeUnit.SECONDS)) {
                nginx.destroyForcibly().waitFor();
            }
        }
        if (echo != null) {
            echo.close();
        }
    }

    @TestFactory
    Stream<DynamicTest> nginx() {
        Stream<DynamicTest> started = Stream.of(dynamicTest("nginx installed and started", () -> assertEquals(null, problem)));
        return Stream.concat(started, JdkMatrix.testsPerJdk((jdk, tests) -> {
            for (boolean secure : new boolean[] {false, true}) {
                for (String mode : new String[] {"none", "audit", "enforce"}) {
                    tests.add(dynamicTest(jdk.label() + " nginx " + (secure ? "TLS" : "plain") + " return 307/308/303,"
                            + " cross-origin 307, " + (jdk.version() < 11 ? "HttpURLConnection "
                            : secure ? "HttpURLConnection and HttpClient (HTTP/2) " : "HttpURLConnection and HttpClient ")
                            + mode, () -> run(jdk, secure, mode)));
                }
            }
        }));
    }

    private static List<String> calls(JdkMatrix.Jdk jdk) {
        return AppCallsOracle.calls(jdk, POSTS);
    }

    private void run(JdkMatrix.Jdk jdk, boolean secure, String mode) throws Exception {
        assertEquals(null, problem, "nginx");
        String scheme = secure ? "tls" : "plain";
        String runId = "nginx-" + jdk.label() + "-" + scheme + "-" + mode;
        String base = (secure ? "https://127.0.0.1:" + tlsPort : "http://127.0.0.1:" + port) + "/" + runId;
        List<String> args = new ArrayList<>(List.of(base));
        args.addAll(calls(jdk));
        List<String> options = secure ? new ArrayList<>(tls.childJvmOptions()) : new ArrayList<>();
        if (secure) {
            options.add("-Dapp.http2=true");
        }
        AppChild.Run run = AppChild.run(jdk, ItFiles.BUILD_DIR.resolve("it-runs").resolve("nginx").resolve(runId),
                mode.equals("none") ? null : mode, null, options, AppChild.classPath(),
                "dev.redirectguard.it.child.app.AppCalls", args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.describe());
        Map<String, String> observed = new java.util.LinkedHashMap<>();
        for (String call : calls(jdk)) {
            observed.put(call, AppCallsOracle.observed(run, call, echo.received("/" + runId + "/" + call + "/target")));
        }
        report(jdk, scheme, mode, observed);
        if (secure) {
            assertProtocols(jdk, runId);
        }
        String key = jdk.label() + "-" + scheme;
        if (mode.equals("none")) {
            assertEquals(List.of(), run.log());
            // The setup shows the problem: the JDK hands nginx's 308 back to the caller.
            assertEquals("308 ", observed.get("huc-post308").substring(4, 8), observed.get("huc-post308"));
            BASELINES.put(key, observed);
            return;
        }
        Map<String, String> none = BASELINES.get(key);
        assertTrue(none != null, "the run without the agent failed");
        if (mode.equals("audit")) {
            assertEquals(none, observed, "audit must leave every call as without the agent");
        }
        assertEquals(List.of(), AppCallsOracle.mismatches(mode, runId, calls(jdk), run, observed, none), run.describe());
        for (LogLine line : run.log()) {
            assertTrue(String.valueOf(line.text("caller")).startsWith("dev.redirectguard.it.child.app."), line.raw());
            assertTrue((mode.equals("audit") ? List.of("observed") : List.of("corrected", "refused"))
                    .contains(line.text("action")), line.raw());
        }
        assertEquals(List.of(), run.stderr().lines().filter(l -> l.startsWith("redirect-guard")).toList());
    }

    /**
     * nginx's own record of the TLS run: HttpClient came over HTTP/2 (ALPN), HttpURLConnection
     * over HTTP/1.1, to every nginx URL the calls touched.
     */
    private static void assertProtocols(JdkMatrix.Jdk jdk, String runId) throws IOException {
        List<String> lines = Files.readAllLines(dir.resolve("logs/access.log")).stream()
                .filter(l -> l.contains("/" + runId + "/")).toList();
        for (String call : calls(jdk)) {
            String protocol = call.startsWith("hc-") ? "HTTP/2.0" : "HTTP/1.1";
            List<String> mine = lines.stream().filter(l -> l.contains("/" + runId + "/" + call + "/")).toList();
            assertTrue(!mine.isEmpty(), call + ": nginx saw no request\n" + String.join("\n", lines));
            for (String l : mine) {
                assertEquals(String.valueOf(tlsPort), l.split(" ")[0], l);
                assertEquals(protocol, l.split(" ")[1], call + ": " + l);
            }
        }
    }

    private static synchronized void report(JdkMatrix.Jdk jdk, String scheme, String mode, Map<String, String> observed)
            throws IOException {
        Files.createDirectories(REPORT.getParent());
        StringBuilder b = new StringBuilder();
        observed.forEach((call, o) -> b.append(jdk.label()).append(" | ").append(call).append(" | ").append(scheme).append(" | ").append(mode)
                .append(" | ").append(o).append('\n'));
        Files.writeString(REPORT, b.toString(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
