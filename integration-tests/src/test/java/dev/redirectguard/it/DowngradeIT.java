package dev.redirectguard.it;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Rule 6, https to http: HttpClient with Redirect.ALWAYS follows it (audit logs it, enforce returns
 * the 3xx to the caller); Redirect.NORMAL and HttpURLConnection refuse it already (no line).
 */
class DowngradeIT {
    private static final Path WORK = ItFiles.BUILD_DIR.resolve("it-downgrade");
    private static final Path AGENT_JAR = ItFiles.AGENT_JAR;
    private static final Path CHILD_CLASSES = ItFiles.CHILD_CLASSES;
    private static TestCertificate tls;
    private static HttpsServer secure;
    private static HttpServer plain;
    private static final AtomicInteger TARGET_HITS = new AtomicInteger();

    @BeforeAll
    static void start() throws Exception {
        Files.createDirectories(WORK);
        tls = TestCertificate.generate(WORK);
        plain = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        plain.createContext("/", x -> {
            TARGET_HITS.incrementAndGet();
            byte[] ok = "ok".getBytes(StandardCharsets.US_ASCII);
            x.sendResponseHeaders(200, ok.length);
            x.getResponseBody().write(ok);
            x.close();
        });
        plain.start();
        secure = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        secure.setHttpsConfigurator(new HttpsConfigurator(sslContext()));
        secure.createContext("/", x -> {
            x.getResponseHeaders().set("Location", "http://127.0.0.1:" + plain.getAddress().getPort() + "/plain");
            x.sendResponseHeaders(302, -1);
            x.close();
        });
        secure.start();
    }

    @AfterAll
    static void stop() {
        secure.stop(0);
        plain.stop(0);
    }

    private static SSLContext sslContext() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(tls.keyStore())) {
            ks.load(in, tls.password().toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, tls.password().toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    /** One case: which child, its policy, and per mode whether the http target must be reached. */
    private record Case(String name, String child, String policy, int minJdk, boolean followedWithoutAgent) {
    }

    @TestFactory
    List<DynamicTest> httpsToHttp() {
        List<Case> cases = List.of(
                new Case("HttpClient ALWAYS", "dev.redirectguard.it.child.DowngradeHttpClient", "ALWAYS", 11, true),
                new Case("HttpClient NORMAL", "dev.redirectguard.it.child.DowngradeHttpClient", "NORMAL", 11, false),
                new Case("HttpURLConnection", "dev.redirectguard.it.child.DowngradeUrlConnection", null, 8, false));
        List<DynamicTest> tests = new ArrayList<>();
        for (JdkMatrix.Jdk jdk : JdkMatrix.selected()) {
            for (Case c : cases) {
                if (jdk.version() < c.minJdk()) {
                    continue; // no java.net.http before 11: nothing to run, by design
                }
                tests.add(DynamicTest.dynamicTest(jdk.label() + " " + c.name(), () -> check(jdk, c)));
            }
        }
        return tests;
    }

    private void check(JdkMatrix.Jdk jdk, Case c) throws Exception {
        if (jdk.problem() != null) {
            fail(jdk.problem());
        }
        assertTrue(Files.isRegularFile(AGENT_JAR), "agent jar missing at " + AGENT_JAR);
        for (String mode : List.of("none", "audit", "enforce")) {
            Path log = WORK.resolve(jdk.label() + "-" + c.name().replace(' ', '-') + "-" + mode + ".jsonl");
            Files.deleteIfExists(log);
            int before = TARGET_HITS.get();
            String out = run(jdk, c, mode, log);
            boolean followed = TARGET_HITS.get() > before;
            boolean expectFollowed = c.followedWithoutAgent() && !mode.equals("enforce");
            String where = jdk.label() + " " + c.name() + " " + mode;
            assertEquals(expectFollowed, followed, where + ": http target reached");
            assertEquals(expectFollowed ? "status=200" : "status=302", out, where + ": caller got");
            List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
            if (mode.equals("none") || !c.followedWithoutAgent()) {
                assertEquals(List.of(), lines, where + ": log");
                continue;
            }
            assertEquals(1, lines.size(), where + ": log " + lines);
            String line = lines.get(0);
            assertTrue(line.contains("\"rule\":\"no-https-downgrade\""), line);
            assertTrue(line.contains("\"action\":\"" + (mode.equals("audit") ? "observed" : "refused") + "\""), line);
            assertTrue(line.contains("\"from\":\"https://127.0.0.1:" + secure.getAddress().getPort() + "/start\""), line);
            // The caller is taken on the sending thread, so a refusal names it on every JDK.
            assertTrue(line.contains("\"caller\":\"dev.redirectguard.it.child.DowngradeHttpClient.main("), line);
        }
    }

    private String run(JdkMatrix.Jdk jdk, Case c, String mode, Path log) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(jdk.java().toString(), "-Xshare:auto", "-XX:TieredStopAtLevel=1"));
        if (!mode.equals("none")) {
            cmd.add("-javaagent:" + AGENT_JAR + "=mode=" + mode + ",log=" + log + ",jmx=off");
        }
        cmd.addAll(tls.childJvmOptions());
        cmd.addAll(List.of("-cp", CHILD_CLASSES.toString(), c.child(),
                "https://127.0.0.1:" + secure.getAddress().getPort() + "/start"));
        if (c.policy() != null) {
            cmd.add(c.policy());
        }
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "child did not finish: " + cmd);
        assertEquals(0, p.exitValue(), "child failed: " + cmd + "\n" + out);
        return out;
    }
}
