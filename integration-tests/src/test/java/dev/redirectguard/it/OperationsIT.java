package dev.redirectguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import com.sun.tools.attach.VirtualMachine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.management.Attribute;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Switching a running application, on every JDK of the matrix: by JMX from inside the
 * application, by JMX from another JVM (attach API's local connector), and with the jar's CLI
 * (attach into a JVM that already made requests with both clients, mode, status, list). After
 * each switch, the very next redirect must follow the new mode, and the log must say so.
 *
 * <p>The probes: HttpURLConnection GET to a 308 (the JDK returns the 308; enforce follows it) and
 * HttpClient POST with Content-Type to a 303 (the JDK keeps Content-Type on the GET; enforce drops it).
 */
class OperationsIT extends WithOpsServer {
    private static final Path BUILD_DIR = ItFiles.BUILD_DIR;
    private static final Path AGENT_JAR = ItFiles.AGENT_JAR;
    private static final Path CHILD_CLASSES = ItFiles.CHILD_CLASSES;
    private static final String OBJECT_NAME = "dev.redirectguard:type=RedirectGuard";
    private static final Pattern ACTION = Pattern.compile("\"client\":\"(\\w+)\".*\"action\":\"(\\w+)\"");

    @TestFactory
    Stream<DynamicTest> operations() {
        return JdkMatrix.testsPerJdk((jdk, tests) -> {
        tests.add(dynamicTest(jdk.label() + " mode switch by JMX in the application", () -> jmxInProcess(jdk)));
        tests.add(dynamicTest(jdk.label() + " mode switch by JMX from another JVM", () -> jmxRemote(jdk)));
        tests.add(dynamicTest(jdk.label() + " CLI attach after requests, mode, status, list", () -> cli(jdk)));
        if (jdk.version() >= 21) {
            tests.add(dynamicTest(jdk.label() + " CLI attach refused (JEP 451) is explained", () -> refused(jdk)));
        }
        });
    }

    private void jmxInProcess(JdkMatrix.Jdk jdk) throws Exception {
        Path dir = runDir(jdk, "jmx-in-process");
        Path log = dir.resolve("agent.jsonl");
        try (OpsChildProcess child = new OpsChildProcess(jdk, CHILD_CLASSES, AGENT_JAR,
                "mode=audit,jmx=0,log=" + log, dir)) {
            nextRedirectFollows(child, jdk, "audit", log);
            for (String[] step : new String[][] {{"audit", "enforce"}, {"enforce", "off"}, {"off", "audit"},
                {"audit", "enforce"}, {"enforce", "audit"}}) {
                assertEquals("jmx " + step[0] + " " + step[1], child.send("jmx " + step[1]));
                nextRedirectFollows(child, jdk, step[1], log);
            }
            assertNoAgentErrors(child.stderr);
        }
    }

    private void jmxRemote(JdkMatrix.Jdk jdk) throws Exception {
        Path dir = runDir(jdk, "jmx-remote");
        Path log = dir.resolve("agent.jsonl");
        try (OpsChildProcess child = new OpsChildProcess(jdk, CHILD_CLASSES, AGENT_JAR,
                "mode=audit,jmx=0,log=" + log, dir)) {
            VirtualMachine vm = VirtualMachine.attach(String.valueOf(child.pid()));
            String address;
            try {
                address = vm.startLocalManagementAgent();
            } finally {
                vm.detach();
            }
            try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(address))) {
                MBeanServerConnection jmx = connector.getMBeanServerConnection();
                ObjectName name = new ObjectName(OBJECT_NAME);
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (!jmx.isRegistered(name) && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                nextRedirectFollows(child, jdk, "audit", log);
                for (String mode : List.of("enforce", "off", "audit", "enforce")) {
                    jmx.setAttribute(name, new Attribute("Mode", mode));
                    assertEquals(mode, jmx.getAttribute(name, "Mode"));
                    assertTrue(((String) jmx.getAttribute(name, "Settings")).startsWith("mode=" + mode + ","));
                    nextRedirectFollows(child, jdk, mode, log);
                }
                // Counters are exact: one per log line, per action.
                List<String[]> lines = actions(log);
                assertEquals(count(lines, "observed"), (Long) jmx.getAttribute(name, "Observed"));
                assertEquals(count(lines, "corrected"), (Long) jmx.getAttribute(name, "Corrected"));
                assertEquals(0L, (Long) jmx.getAttribute(name, "Refused"));
                assertEquals(0L, (Long) jmx.getAttribute(name, "DroppedLines"));
                jmx.invoke(name, "resetCounters", null, null);
                assertEquals(0L, (Long) jmx.getAttribute(name, "Corrected"));
            }
            assertNoAgentErrors(child.stderr);
        }
    }

    private void cli(JdkMatrix.Jdk jdk) throws Exception {
        Path dir = runDir(jdk, "cli");
        Path log = dir.resolve("agent.jsonl");
        try (OpsChildProcess child = new OpsChildProcess(jdk, CHILD_CLASSES, AGENT_JAR, null, dir)) {
            String pid = String.valueOf(child.pid());
            // Requests with both clients before the agent: their classes are loaded, and unpatched.
            nextRedirectFollows(child, jdk, "none", log);
            Cli r = Cli.run("status", pid);
            assertEquals(3, r.code(), r.toString());

            r = Cli.run("attach", pid, "mode=enforce,log=" + log);
            assertEquals(0, r.code(), r.toString());
            assertTrue(r.out().startsWith("attached to " + pid), r.toString());
            assertEquals(jdk.version() >= 21, r.out().contains("JEP 451"), r.toString());
            nextRedirectFollows(child, jdk, "enforce", log);

            for (String mode : List.of("audit", "off", "enforce", "audit")) {
                r = Cli.run("mode", pid, mode);
                assertEquals(0, r.code(), r.toString());
                assertTrue(r.out().trim().endsWith("-> " + mode), r.toString());
                nextRedirectFollows(child, jdk, mode, log);
            }
            // Attached again, this time by the CLI on the target's own Java (on 8: the attach API
            // from tools.jar): only the keys given change (the log stays in its file), nothing
            // installs twice.
            r = Cli.runOn(jdk.java(), "attach", pid, "mode=enforce");
            assertEquals(0, r.code(), r.toString());
            assertTrue(r.out().startsWith("settings applied to " + pid), r.toString());
            nextRedirectFollows(child, jdk, "enforce", log);

            r = Cli.runOn(jdk.java(), "status", pid);
            assertEquals(0, r.code(), r.toString());
            List<String> expected = new ArrayList<>(List.of("mode: enforce", "settings: mode=enforce,log=" + log + ",",
                    "  sun.net.www.protocol.http.HttpURLConnection: rewritten",
                    "  same-method-307-308 HttpURLConnection corrected none " + count(actions(log), "HttpURLConnection",
                            "corrected"),
                    "  same-method-307-308 HttpURLConnection observed none " + count(actions(log), "HttpURLConnection",
                            "observed")));
            if (jdk.version() >= 11) {
                expected.addAll(List.of("  jdk.internal.net.http.RedirectFilter: rewritten",
                        "  jdk.internal.net.http.HttpRequestImpl: rewritten", "  jdk.internal.net.http.MultiExchange: rewritten",
                        "  jdk.internal.net.http.HttpClientImpl: rewritten",
                        "  get-after-303 HttpClient corrected none " + count(actions(log), "HttpClient", "corrected")));
            }
            for (String e : expected) {
                assertTrue(r.out().lines().anyMatch(l -> l.startsWith(e)), "status lacks '" + e + "':\n" + r);
            }
            assertEquals(1, r.out().lines().filter(l -> l.contains("HttpURLConnection: rewritten")).count(),
                    "rewritten once:\n" + r);

            r = Cli.run("list");
            assertEquals(0, r.code(), r.toString());
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith(pid + "\tdev.redirectguard.it.child.OpsChild\tloaded")),
                    r.toString());
            assertEquals(2, Cli.run("mode", pid, "strict").code());
            assertEquals(0, Cli.run("status", "--help").code());

            String stderr = Files.readString(child.stderr);
            assertEquals(jdk.version() >= 21, stderr.contains("A Java agent has been loaded dynamically"), stderr);
            assertNoAgentErrors(child.stderr);
        }
    }

    private void refused(JdkMatrix.Jdk jdk) throws Exception {
        Path dir = runDir(jdk, "refused");
        try (OpsChildProcess child = new OpsChildProcess(jdk, CHILD_CLASSES, AGENT_JAR, null, dir,
                List.of("-XX:-EnableDynamicAgentLoading"))) {
            String pid = String.valueOf(child.pid());
            Cli r = Cli.run("attach", pid, "mode=enforce");
            assertEquals(1, r.code(), r.toString());
            assertTrue(r.err().contains("JEP 451") && r.err().contains("-XX:+EnableDynamicAgentLoading"), r.toString());
            assertEquals(3, Cli.run("status", pid).code());
            nextRedirectFollows(child, jdk, "none", dir.resolve("agent.jsonl"));
        }
    }

    /**
     * Sends one redirect with each client and checks the caller's result and the new log lines
     * against {@code mode} ("none": no agent, JDK behaviour, no log).
     */
    private void nextRedirectFollows(OpsChildProcess child, JdkMatrix.Jdk jdk, String mode, Path log) throws Exception {
        boolean enforce = mode.equals("enforce");
        int before = actions(log).size();
        String huc = child.send("huc " + server.url("/308")).trim();
        assertEquals(enforce ? "huc 200 GET ct=none" : "huc 308", huc, jdk.label() + " " + mode);
        expectLines(log, before, mode, "HttpURLConnection");
        if (jdk.version() >= 11) {
            before = actions(log).size();
            String hc = child.send("hc " + server.url("/303"));
            assertEquals(enforce ? "hc 200 GET ct=none" : "hc 200 GET ct=text/plain", hc, jdk.label() + " " + mode);
            expectLines(log, before, mode, "HttpClient");
        }
    }

    private static void expectLines(Path log, int before, String mode, String client) throws Exception {
        String action = switch (mode) {
            case "audit" -> "observed";
            case "enforce" -> "corrected";
            default -> null;
        };
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(action == null ? 0 : 5);
        List<String[]> lines = actions(log);
        while (lines.size() == before && System.nanoTime() < deadline) {
            Thread.sleep(20);
            lines = actions(log);
        }
        List<String[]> added = lines.subList(before, lines.size());
        if (action == null) {
            assertEquals(0, added.size(), mode + ": no log line expected");
            return;
        }
        assertTrue(!added.isEmpty(), mode + " " + client + ": a log line expected");
        for (String[] a : added) {
            assertEquals(client + " " + action, a[0] + " " + a[1], mode);
        }
    }

    private static List<String[]> actions(Path log) throws IOException {
        List<String[]> out = new ArrayList<>();
        if (Files.exists(log)) {
            for (String line : Files.readAllLines(log)) {
                Matcher m = ACTION.matcher(line);
                if (m.find()) {
                    out.add(new String[] {m.group(1), m.group(2)});
                }
            }
        }
        return out;
    }

    private static long count(List<String[]> lines, String action) {
        return lines.stream().filter(a -> a[1].equals(action)).count();
    }

    private static long count(List<String[]> lines, String client, String action) {
        return lines.stream().filter(a -> a[0].equals(client) && a[1].equals(action)).count();
    }

    private static void assertNoAgentErrors(Path stderr) throws IOException {
        List<String> agentLines = Files.readAllLines(stderr).stream().filter(l -> l.startsWith("redirect-guard")).toList();
        assertEquals(List.of(), agentLines, "agent complaints on the child's stderr");
    }

    private static Path runDir(JdkMatrix.Jdk jdk, String name) throws IOException {
        Path dir = BUILD_DIR.resolve("it-ops").resolve(jdk.label() + "-" + name);
        Files.createDirectories(dir);
        Files.deleteIfExists(dir.resolve("agent.jsonl"));
        return dir;
    }
}
