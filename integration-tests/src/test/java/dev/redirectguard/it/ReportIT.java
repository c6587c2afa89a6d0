package dev.redirectguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code report} on real logs: two "hosts" (child JVMs), one in audit and one in enforce, with
 * both clients; the second identical HttpURLConnection hop is folded into a summary that the
 * shutdown hook writes. The report must count every hop, per rule, caller and target, and say
 * what enforce changes.
 */
class ReportIT extends WithOpsServer {

    @TestFactory
    Stream<DynamicTest> report() {
        return JdkMatrix.testsPerJdk((jdk, tests) -> {
        tests.add(dynamicTest(jdk.label() + " report on the logs of two hosts", () -> report(jdk)));
        });
    }

    private void report(JdkMatrix.Jdk jdk) throws Exception {
        Path dir = LogVolumeIT.runDir(jdk, "report");
        Path audit = dir.resolve("host-a.jsonl");
        Path enforce = dir.resolve("host-b.jsonl");
        boolean hc = jdk.version() >= 11;
        try (OpsChildProcess a = new OpsChildProcess(jdk, ItFiles.CHILD_CLASSES, ItFiles.AGENT_JAR,
                "mode=audit,jmx=off,log=" + audit, dir)) {
            assertEquals("huc 308", a.send("huc " + server.url("/308")).trim());
            assertEquals("huc 308", a.send("huc " + server.url("/308")).trim());
            if (hc) {
                assertEquals("hc 200 GET ct=text/plain", a.send("hc " + server.url("/303")));
            }
        }
        try (OpsChildProcess b = new OpsChildProcess(jdk, ItFiles.CHILD_CLASSES, ItFiles.AGENT_JAR,
                "mode=enforce,jmx=off,log=" + enforce, dir)) {
            assertEquals("huc 200 GET ct=none", b.send("huc " + server.url("/308")).trim());
            if (hc) {
                assertEquals("hc 200 GET ct=none", b.send("hc " + server.url("/303")));
            }
        }
        List<String> auditLines = Files.readAllLines(audit);
        assertEquals(hc ? 3 : 2, auditLines.size(), "first line, (hc line,) the summary written at exit: " + auditLines);
        assertTrue(auditLines.get(auditLines.size() - 1).contains("\"repeats\":1,\"firstTs\":"), auditLines.toString());

        Cli r = Cli.run("report", audit.toString(), enforce.toString());
        assertEquals(0, r.code(), r.toString());
        int hops = hc ? 5 : 3;
        String origin = server.url("");
        assertTrue(r.out().startsWith("redirect-guard report: 2 files, " + (hc ? 5 : 3) + " lines, " + hops + " violations, "),
                r.toString());
        List<String> expected = new ArrayList<>(List.of(
                "  same-method-307-308                      3 ",
                "      actions: corrected 1, observed 2",
                "      3        HttpURLConnection 308 GET: JDK none: 3xx returned -> enforce GET (308 not followed (none: 3xx returned))",
                "  dev.redirectguard.it.child.OpsChild.huc(OpsChild.java:",
                "  " + origin + pad(hops)));
        if (hc) {
            expected.addAll(List.of("  get-after-303                            2 ", "      actions: corrected 1, observed 1",
                    "      2        HttpClient 303 POST: JDK GET -> enforce GET (")); // 11 also re-sends the body
        }
        for (String e : expected) {
            assertTrue(r.out().lines().anyMatch(l -> l.startsWith(e)), "report lacks '" + e + "':\n" + r);
        }
        // Bad lines are counted, not fatal; no readable file is exit 1; no file is a usage error.
        Files.writeString(audit, "not json\n", java.nio.file.StandardOpenOption.APPEND);
        r = Cli.run("report", audit.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("bad lines (not agent JSON, skipped): 1"), r.toString());
        r = Cli.run("report", dir.resolve("missing.jsonl").toString());
        assertEquals(1, r.code(), r.toString());
        assertTrue(r.err().contains("cannot read"), r.toString());
        assertEquals(2, Cli.run("report").code());
        assertEquals(0, Cli.run("report", "--help").code());
    }

    /** The report's column: names padded to 40, then a space, then the count. */
    private static String pad(int n) {
        int nameLength = server.url("").length();
        return " ".repeat(Math.max(0, 40 - nameLength)) + " " + n + " ";
    }
}
