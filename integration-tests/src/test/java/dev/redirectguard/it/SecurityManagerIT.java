package dev.redirectguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.redirectguard.it.child.security.AgentThreads;
import dev.redirectguard.it.child.security.HookAttack;
import dev.redirectguard.it.child.security.SecuredApp;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Issue 10, Found 3 and 4: JDK 8, 11 and 17 under a SecurityManager ({@code -Djava.security.manager
 * -Djava.security.policy==<file>}). The policy grants the agent jar {@code AllPermission}, exactly
 * as the README says, and the application ({@link SecuredApp}) only what it needs itself: sockets
 * to loopback, HttpClient's URLPermission for its own paths, the two properties it reads; not
 * shutdownHooks, modifyThread, modifyThreadGroup, accessClassInPackage.sun.* or
 * suppressAccessChecks. {@link AgentThreads} runs from a code base of its own, granted what
 * enumerating the system thread group takes.
 *
 * <ul>
 *   <li>{@value #ROUNDS} rounds of violating hops (HttpURLConnection; HttpClient on 11 and 17) in
 *       audit and in enforce: every class rewritten, the same log lines and the same requests at
 *       the server as the same run without a SecurityManager, exactly one agent thread, clean,
 *       and nothing from the agent on stderr.</li>
 *   <li>The agent jar granted nothing: one stderr line per denied permission, naming it and the
 *       grant to add; the application runs, and its requests are those of a run without the agent.</li>
 *   <li>HookAttack under the SecurityManager: reflection on the bridge is denied (on JDK 8 too,
 *       where nothing else would deny it), and enforcement holds.</li>
 * </ul>
 * JDK 21 and later are not run: their SecurityManager cannot be enabled (24+) or is deprecated
 * for removal (JEP 411).
 */
class SecurityManagerIT extends WithEchoServer {
    private static final Path DIR = ItFiles.BUILD_DIR.resolve("security").resolve("security-manager");
    private static final int ROUNDS = 10;
    private static final int LAST_JDK_WITH_SECURITY_MANAGER = 17;
    private static final String AGENT_GRANT = "grant codeBase \"" + agentCodeBase()
            + "\" { permission java.security.AllPermission; };";

    @TestFactory
    Stream<DynamicTest> underSecurityManager() {
        return JdkMatrix.testsPerJdk((jdk, tests) -> {
            if (jdk.version() > LAST_JDK_WITH_SECURITY_MANAGER) {
                return;
            }
            for (String mode : List.of("audit", "enforce")) {
                tests.add(dynamicTest(jdk.label() + " " + mode + " under a SecurityManager, agent jar granted"
                        + " AllPermission: as without one", () -> granted(jdk, mode)));
            }
            tests.add(dynamicTest(jdk.label() + " agent jar granted nothing: one line per denied permission, the"
                    + " application as without the agent", () -> ungranted(jdk)));
            tests.add(dynamicTest(jdk.label() + " hook attack under a SecurityManager: reflection denied,"
                    + " enforcement holds", () -> attack(jdk)));
        });
    }

    private void granted(JdkMatrix.Jdk jdk, String mode) throws Exception {
        List<String> calls = AppCallsOracle.calls(jdk, List.of("post303"));
        String plain = "plain-" + mode + "-" + jdk.label();
        String secured = "secured-" + mode + "-" + jdk.label();
        SecurityChild.Run without = app(jdk, plain, mode, null, calls);
        SecurityChild.Run with = app(jdk, secured, mode, policy(secured, true, List.of()), calls);
        String why = with.describe();
        for (SecurityChild.Run run : List.of(without, with)) {
            assertEquals(0, run.exitCode(), run.describe());
            assertTrue(run.stdout().contains("done"), run.describe());
            // Found 3: one thread, not one per violation; clean; Found 4: nothing left untouched.
            assertEquals(List.of("redirect-guard\tdaemon=true\tccl=null\tgroup=system\tsystemGroup=true\tinherited=0"),
                    run.lines("agent-thread"), run.describe());
            assertEquals(List.of(), run.agentStderr(), run.describe());
            assertEquals(ROUNDS * calls.size(), run.lines("result").size(), run.describe());
        }
        assertEquals(List.of("java.lang.SecurityManager"), with.lines("security-manager"), why);
        assertEquals(without.lines("result"), with.lines("result"), why);
        assertEquals(received(plain, calls), received(secured, calls), "what the server received\n" + why);
        if (mode.equals("enforce")) {
            for (String call : calls) {
                for (int i = 1; i <= ROUNDS; i++) {
                    assertEquals(AppCallsOracle.expected(call), observed(with, secured, call, i), why);
                }
            }
        }
        List<String> linesWithout = projected(without.log(), plain);
        assertEquals(ROUNDS * calls.size(), linesWithout.stream().filter(l -> l.contains("/RUN/")).map(
                l -> l.replaceAll(".*(/RUN/[a-z]+/hop\\d+/[a-z0-9-]+)/start.*", "$1")).distinct().count(),
                "a log line for every hop:\n" + String.join("\n", linesWithout));
        assertEquals(linesWithout, projected(with.log(), secured), "the log\n" + why);
    }

    private void ungranted(JdkMatrix.Jdk jdk) throws Exception {
        List<String> calls = AppCallsOracle.calls(jdk, List.of("post303"));
        String none = "none-" + jdk.label();
        String denied = "denied-" + jdk.label();
        SecurityChild.Run without = app(jdk, none, null, policy(none, false, List.of()), calls);
        SecurityChild.Run run = app(jdk, denied, "enforce", policy(denied, false, List.of()), calls);
        String why = run.describe();
        assertEquals(0, without.exitCode(), without.describe());
        assertEquals(0, run.exitCode(), why);
        assertTrue(run.stdout().contains("done"), why);
        assertEquals(without.lines("result"), run.lines("result"), why);
        assertEquals(received(none, calls), received(denied, calls), "what the server received\n" + why);
        List<String> said = run.agentStderr();
        assertFalse(said.isEmpty(), "the agent says what it is denied\n" + why);
        assertEquals(said.stream().distinct().toList(), said, "each permission once\n" + why);
        assertTrue(said.size() < ROUNDS, "not a line per hop\n" + why);
        Pattern permission = Pattern.compile(".*\\(\"java\\.[A-Za-z.]+Permission\" \"[^\"]*\".*");
        for (String line : said) {
            assertTrue(permission.matcher(line).matches(), "names the permission: " + line + "\n" + why);
            assertTrue(line.contains(AGENT_GRANT), "names the grant to add (" + AGENT_GRANT + "): " + line + "\n" + why);
        }
        assertTrue(run.lines("agent-thread").size() <= 1, why);
    }

    private void attack(JdkMatrix.Jdk jdk) throws Exception {
        String runId = "attack-" + jdk.label();
        Path dir = DIR.resolve(runId);
        List<String> calls = AppCallsOracle.calls(jdk, List.of("post303", "post308"));
        // What HookAttack needs to make the attempt at all (read the agent jar, proxies, declared
        // members); never suppressAccessChecks, which is the attack.
        String policy = policy(runId, true, List.of(
                "permission java.io.FilePermission \"" + ItFiles.AGENT_JAR + "\", \"read\";",
                "permission java.lang.RuntimePermission \"getClassLoader\";",
                "permission java.lang.RuntimePermission \"accessDeclaredMembers\";",
                "permission java.net.URLPermission \"http://127.0.0.1:*/" + runId + "/-\", \"*:*\";",
                "permission java.net.URLPermission \"http://localhost:*/" + runId + "/-\", \"*:*\";"));
        List<String> args = new ArrayList<>(List.of(server.base() + "/" + runId, ItFiles.AGENT_JAR.toString()));
        args.addAll(calls);
        SecurityChild.Run run = SecurityChild.run(jdk, dir, securityManager(dir, policy),
                "mode=enforce,jmx=off,logInterval=0,logRate=0", classPath(), HookAttack.class.getName(), args, null);
        String why = run.describe();
        assertEquals(0, run.exitCode(), why);
        assertTrue(run.stdout().contains("done"), why);
        assertEquals("java.security.AccessControlException", run.probe("setAccessible-install"), why);
        assertEquals("java.security.AccessControlException", run.probe("hooks-field-read"), why);
        assertEquals("none", run.probe("public-members"), why);
        assertEquals("0 calls, header values seen: false", run.probe("hooks-proxy-calls"), why);
        assertTrue(run.probe("statics-walk").endsWith("findings none"), why);
        for (String call : calls) {
            List<String> outcomes = run.lines("result").stream().filter(l -> l.startsWith(call + "\t")).toList();
            assertEquals(2, outcomes.size(), why);
            for (int p = 0; p < 2; p++) {
                String phase = p == 0 ? "before" : "after";
                String target = "/" + runId + "/" + phase + "/" + call + "/target";
                String outcome = outcomes.get(p);
                String observed = "got " + outcome.substring(call.length() + 1) + " | target " + String.join(" + ",
                        server.received(target).stream().map(EchoServer.Received::describe).toList());
                assertEquals(AppCallsOracle.expected(call), observed, phase + " " + call + "\n" + why);
            }
        }
        assertEquals(List.of(), run.agentStderr(), why);
    }

    /** One run of SecuredApp; {@code policy} null: no SecurityManager. */
    private SecurityChild.Run app(JdkMatrix.Jdk jdk, String runId, String mode, String policy, List<String> calls)
            throws Exception {
        Path dir = DIR.resolve(runId);
        List<String> options = new ArrayList<>(policy == null ? List.of() : securityManager(dir, policy));
        if (jdk.version() >= 9) {
            // For AgentThreads alone: under the SecurityManager only its code base may setAccessible.
            options.addAll(List.of("--add-opens", "java.base/java.lang=ALL-UNNAMED"));
        }
        List<String> args = new ArrayList<>(List.of(server.base() + "/" + runId, String.valueOf(ROUNDS)));
        args.addAll(calls);
        return SecurityChild.run(jdk, dir, options, mode == null ? null : "mode=" + mode + ",jmx=off,logInterval=0,logRate=0",
                classPath(), SecuredApp.class.getName(), args, null);
    }

    /** Writes the policy into the run's directory (made by the run) and returns the JVM options. */
    private static List<String> securityManager(Path dir, String policy) throws IOException {
        Path file = dir.getParent().resolve(dir.getFileName() + ".policy");
        Files.createDirectories(file.getParent());
        Files.writeString(file, policy);
        return List.of("-Djava.security.manager", "-Djava.security.policy==" + file);
    }

    /**
     * The policy: the agent jar's grant (or none), the application's own permissions (sockets to
     * loopback; URLPermission, which HttpClient requires, for its {@code hc} paths only, so that
     * HttpURLConnection takes the route of an application without one; the properties it reads),
     * and the probe's.
     */
    private static String policy(String runId, boolean grantAgent, List<String> extra) throws IOException {
        StringBuilder p = new StringBuilder();
        if (grantAgent) {
            p.append(AGENT_GRANT).append('\n');
        }
        p.append("grant codeBase \"").append(ItFiles.CHILD_CLASSES.toUri()).append("-\" {\n");
        List<String> app = new ArrayList<>(List.of(
                "permission java.net.SocketPermission \"127.0.0.1:1024-\", \"connect,resolve\";",
                "permission java.net.SocketPermission \"localhost:1024-\", \"connect,resolve\";",
                "permission java.net.URLPermission \"http://127.0.0.1:*/" + runId + "/hc/-\", \"*:*\";",
                "permission java.util.PropertyPermission \"app.http2\", \"read\";",
                "permission java.util.PropertyPermission \"http.strictPostRedirect\", \"read\";"));
        app.addAll(extra);
        app.forEach(line -> p.append("  ").append(line).append('\n'));
        p.append("};\n");
        p.append("grant codeBase \"").append(probeClasses().toUri()).append("-\" {\n")
                .append("  permission java.lang.RuntimePermission \"modifyThreadGroup\";\n")
                .append("  permission java.lang.RuntimePermission \"modifyThread\";\n")
                .append("  permission java.lang.RuntimePermission \"getClassLoader\";\n")
                .append("  permission java.lang.RuntimePermission \"accessDeclaredMembers\";\n")
                .append("  permission java.lang.reflect.ReflectPermission \"suppressAccessChecks\";\n")
                .append("};\n");
        return p.toString();
    }

    /** The agent jar as the policy names it: {@code file:/path/to/redirect-guard-agent.jar}. */
    private static String agentCodeBase() {
        return "file:" + ItFiles.AGENT_JAR;
    }

    /** AgentThreads' classes in a directory of their own, ahead of the child classes on the class path. */
    private static Path probeClasses() throws IOException {
        Path dir = DIR.resolve("probe-classes");
        String pkg = AgentThreads.class.getPackageName().replace('.', File.separatorChar);
        Path target = dir.resolve(pkg);
        Files.createDirectories(target);
        try (Stream<Path> classes = Files.list(ItFiles.CHILD_CLASSES.resolve(pkg))) {
            for (Path c : classes.filter(f -> f.getFileName().toString().startsWith("AgentThreads")).toList()) {
                Files.copy(c, target.resolve(c.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return dir;
    }

    private static String classPath() throws IOException {
        return probeClasses() + File.pathSeparator + ItFiles.CHILD_CLASSES;
    }

    /** What reached the server for each call of each round, by path within the run. */
    private static Map<String, List<String>> received(String runId, List<String> calls) {
        Map<String, List<String>> out = new TreeMap<>();
        for (String call : calls) {
            String client = call.substring(0, call.indexOf('-'));
            for (int i = 1; i <= ROUNDS; i++) {
                for (String end : List.of("start", "target")) {
                    String path = "/" + client + "/hop" + i + "/" + call + "/" + end;
                    out.put(path, server.received("/" + runId + path).stream().map(EchoServer.Received::describe).toList());
                }
            }
        }
        return out;
    }

    private static String observed(SecurityChild.Run run, String runId, String call, int round) {
        List<String> outcomes = run.lines("result").stream().filter(l -> l.startsWith(call + "\t")).toList();
        String client = call.substring(0, call.indexOf('-'));
        return "got " + outcomes.get(round - 1).substring(call.length() + 1) + " | target " + String.join(" + ",
                server.received("/" + runId + "/" + client + "/hop" + round + "/" + call + "/target").stream()
                        .map(EchoServer.Received::describe).toList());
    }

    /** Log lines without what differs between two runs (time, thread, port, run id), sorted. */
    private static List<String> projected(Collection<LogLine> log, String runId) {
        List<String> out = new ArrayList<>();
        for (LogLine l : log) {
            if (l.fields() == null) {
                out.add("not JSON: " + l.raw());
                continue;
            }
            Map<String, Object> f = new TreeMap<>(l.fields());
            f.remove("ts");
            f.remove("thread");
            for (String url : List.of("from", "to")) {
                if (f.get(url) instanceof String s) {
                    f.put(url, URI.create(s).getPath().replace("/" + runId + "/", "/RUN/"));
                }
            }
            out.add(f.toString());
        }
        out.sort(null);
        return out;
    }
}
