package dev.redirectguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * A 308 whose Location the JDK cannot parse ends like its 307 twin: without the agent the JDK
 * throws MalformedURLException for the 307 and hands the 308 back; in enforce, 308 is followed
 * exactly like 307, so the caller gets the same exception. Audit changes nothing, and logs
 * nothing: no request goes out either way. HttpURLConnection, every matrix JDK.
 */
class UnparsableLocationIT {
    private static final List<String> LOCATIONS = List.of("javascript:alert(1)", "http://[::1", "foo://bar/");
    private static HttpServer server;

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            try (exchange) {
                exchange.getRequestBody().readAllBytes();
                String path = exchange.getRequestURI().getPath(); // /<status>/<index>
                String[] parts = path.split("/");
                exchange.getResponseHeaders().set("Location", LOCATIONS.get(Integer.parseInt(parts[2])));
                exchange.sendResponseHeaders(Integer.parseInt(parts[1]), -1);
            }
        });
        server.start();
    }

    @AfterAll
    static void stop() {
        server.stop(0);
    }

    @TestFactory
    Stream<DynamicTest> unparsableLocations() {
        return JdkMatrix.testsPerJdk((jdk, tests) -> tests.add(dynamicTest(jdk.label()
                + " 308 with an unparsable Location ends like its 307 twin", () -> run(jdk))));
    }

    private void run(JdkMatrix.Jdk jdk) throws Exception {
        String base = "http://127.0.0.1:" + server.getAddress().getPort();
        List<String> urls = new ArrayList<>();
        for (int i = 0; i < LOCATIONS.size(); i++) {
            urls.add(base + "/307/" + i);
            urls.add(base + "/308/" + i);
        }
        Path dir = ItFiles.recreate(ItFiles.BUILD_DIR.resolve("it-runs").resolve("location").resolve(jdk.label()));
        List<String> none = child(jdk, null, dir, urls);
        List<String> audit = child(jdk, "audit", dir, urls);
        List<String> enforce = child(jdk, "enforce", dir, urls);
        assertEquals(none, audit, "audit changes nothing");
        for (int i = 0; i < LOCATIONS.size(); i++) {
            String twin307 = none.get(2 * i);
            assertEquals(twin307, enforce.get(2 * i), "307 " + LOCATIONS.get(i));
            assertEquals(twin307, enforce.get(2 * i + 1), "308 like its 307 twin: " + LOCATIONS.get(i));
            assertEquals("status 308", none.get(2 * i + 1), "without the agent the 308 is handed back");
        }
        for (String mode : List.of("audit", "enforce")) {
            Path log = dir.resolve(mode + ".jsonl");
            assertEquals(List.of(), Files.exists(log) ? Files.readAllLines(log) : List.of(), mode + ": nothing on the wire, no line");
        }
    }

    private static List<String> child(JdkMatrix.Jdk jdk, String mode, Path dir, List<String> urls) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(jdk.java().toString(), "-Xshare:auto", "-XX:TieredStopAtLevel=1"));
        if (mode != null) {
            cmd.add("-javaagent:" + ItFiles.AGENT_JAR + "=mode=" + mode + ",jmx=off,logInterval=0,logRate=0,log="
                    + dir.resolve(mode + ".jsonl"));
        }
        cmd.addAll(List.of("-cp", ItFiles.CHILD_CLASSES.toString(), "dev.redirectguard.it.child.LocationChild"));
        cmd.addAll(urls);
        Path err = dir.resolve((mode == null ? "none" : mode) + "-stderr.txt");
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("child did not finish: " + cmd);
        }
        assertEquals(0, p.exitValue(), out + Files.readString(err));
        assertEquals(List.of(), Files.readAllLines(err).stream().filter(l -> l.startsWith("redirect-guard")).toList());
        return out.lines().toList();
    }
}
