package dev.redirectguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
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
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * A real nginx (Debian's package; .ci/run installs it) answers the redirects, with {@code return
 * 307|308|303 <url>;}, in front of the recording echo server ({@code proxy_pass}), on loopback, for
 * both JDK clients, without the agent and in enforce, on every JDK of the matrix (HttpClient 11+).
 *
 * <p>Started by the test as this user, from a config it writes under {@code target/nginx/}
 * (prefix, pid, logs and temp paths there, {@code daemon off}), stopped at the end. Calls
 * ({@code AppCalls}): POST through 307, 308 and 303 to nginx itself (the target proxied to the
 * echo server), and a POST through 307 to another origin (the echo server directly, by the name
 * {@code localhost}). Enforce must deliver RFC 9110 at the target: 307/308 the same POST with body
 * and headers, 303 a GET without body or Content-Type with the caller's headers, and to the other
 * origin the POST without {@code Authorization} and {@code Cookie}.
 */
class NginxIT {
    private static final List<String> POSTS = List.of("post307", "post308", "post303", "xpost307");
    private static EchoServer echo;
    private static Process nginx;
    private static int port;
    private static String problem;
    private static Path dir;
    private static final Map<String, Map<String, String>> BASELINES = new ConcurrentHashMap<>();

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
        Files.createDirectories(dir.resolve("temp"));
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String self = "http://127.0.0.1:" + port;
        String other = "http://localhost:" + echo.port();
        String conf = String.join("\n",
                "daemon off;",
                "master_process off;",
                "worker_processes 1;",
                "pid " + dir.resolve("nginx.pid") + ";",
                "error_log " + dir.resolve("logs/error.log") + " info;",
                "events { worker_connections 64; }",
                "http {",
                "  access_log " + dir.resolve("logs/access.log") + ";",
                "  client_body_temp_path " + dir.resolve("temp/body") + ";",
                "  proxy_temp_path " + dir.resolve("temp/proxy") + ";",
                "  fastcgi_temp_path " + dir.resolve("temp/fastcgi") + ";",
                "  uwsgi_temp_path " + dir.resolve("temp/uwsgi") + ";",
                "  scgi_temp_path " + dir.resolve("temp/scgi") + ";",
                "  server {",
                "    listen 127.0.0.1:" + port + ";",
                "    location ~ ^(?<p>/.*-x[a-z]+307)/start$ { return 307 " + other + "$p/target; }",
                "    location ~ ^(?<p>/.*307)/start$ { return 307 " + self + "$p/target; }",
                "    location ~ ^(?<p>/.*308)/start$ { return 308 " + self + "$p/target; }",
                "    location ~ ^(?<p>/.*303)/start$ { return 303 " + self + "$p/target; }",
                "    location / { proxy_pass http://127.0.0.1:" + echo.port() + "; }",
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
    List<DynamicTest> nginx() {
        List<DynamicTest> tests = new ArrayList<>();
        tests.add(dynamicTest("nginx installed and started", () -> assertEquals(null, problem)));
        for (JdkMatrix.Jdk jdk : JdkMatrix.selected()) {
            if (jdk.problem() != null) {
                tests.add(dynamicTest(jdk.label() + " available", () -> fail(jdk.problem())));
                continue;
            }
            for (String mode : new String[] {"none", "enforce"}) {
                tests.add(dynamicTest(jdk.label() + " nginx return 307/308/303, cross-origin 307, "
                        + (jdk.version() >= 11 ? "HttpURLConnection and HttpClient " : "HttpURLConnection ") + mode,
                        () -> run(jdk, mode)));
            }
        }
        return tests;
    }

    private static List<String> calls(JdkMatrix.Jdk jdk) {
        List<String> calls = new ArrayList<>();
        for (String client : jdk.version() >= 11 ? List.of("huc", "hc") : List.of("huc")) {
            POSTS.forEach(p -> calls.add(client + "-" + p));
        }
        return calls;
    }

    private void run(JdkMatrix.Jdk jdk, String mode) throws Exception {
        assertEquals(null, problem, "nginx");
        String runId = "nginx-" + jdk.label() + "-" + mode;
        List<String> args = new ArrayList<>(List.of("http://127.0.0.1:" + port + "/" + runId));
        args.addAll(calls(jdk));
        AppChild.Run run = AppChild.run(jdk, ItFiles.BUILD_DIR.resolve("it-runs").resolve("nginx").resolve(runId),
                mode.equals("none") ? null : mode, null, List.of(), AppChild.classPath(),
                "dev.redirectguard.it.child.app.AppCalls", args.toArray(String[]::new));
        assertEquals(0, run.exitCode(), run.describe());
        Map<String, String> observed = new java.util.LinkedHashMap<>();
        for (String call : calls(jdk)) {
            observed.put(call, "got " + run.outcomes().get(call) + " | target " + String.join(" + ",
                    echo.received("/" + runId + "/" + call + "/target").stream().map(EchoServer.Received::describe)
                            .toList()));
        }
        report(jdk, mode, observed);
        if (mode.equals("none")) {
            assertEquals(List.of(), run.log());
            // The setup shows the problem: the JDK hands nginx's 308 back to the caller.
            assertEquals("308 ", observed.get("huc-post308").substring(4, 8), observed.get("huc-post308"));
            BASELINES.put(jdk.label(), observed);
            return;
        }
        String headers = " custom=xc-lib";
        String creds = " auth=Bearer token-lib cookie=sid=cookie-lib";
        List<String> wrong = new ArrayList<>();
        for (String call : calls(jdk)) {
            String post = "POST body=body-" + call + " ct=text/plain";
            String expected = "got 200 ok:" + call + " | target " + switch (call.substring(call.indexOf('-') + 1)) {
                case "post307", "post308" -> post + creds + headers;
                case "post303" -> "GET body=- ct=-" + creds + headers;
                case "xpost307" -> post + " auth=- cookie=-" + headers;
                default -> throw new IllegalArgumentException(call);
            };
            if (!expected.equals(observed.get(call))) {
                wrong.add(call + "\n  expected " + expected + "\n  got      " + observed.get(call)
                        + "\n  no agent " + BASELINES.getOrDefault(jdk.label(), Map.of()).get(call));
            }
        }
        assertEquals(List.of(), wrong, run.describe());
        for (LogLine line : run.log()) {
            assertTrue(String.valueOf(line.text("caller")).startsWith("dev.redirectguard.it.child.app."), line.raw());
            assertTrue(List.of("corrected", "refused").contains(line.text("action")), line.raw());
        }
        assertEquals(List.of(), run.stderr().lines().filter(l -> l.startsWith("redirect-guard")).toList());
    }

    private static synchronized void report(JdkMatrix.Jdk jdk, String mode, Map<String, String> observed)
            throws IOException {
        Path report = ItFiles.BUILD_DIR.resolve("real-world").resolve("nginx.txt");
        Files.createDirectories(report.getParent());
        StringBuilder b = new StringBuilder();
        observed.forEach((call, o) -> b.append(jdk.label()).append(" | ").append(call).append(" | ").append(mode)
                .append(" | ").append(o).append('\n'));
        Files.writeString(report, b.toString(), StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
