package dev.redirectguard.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogReportTest {
    static final String L308 = "{\"ts\":\"2026-11-24T16:00:00.000Z\",\"rule\":\"same-method-307-308\",\"client\":\"HttpURLConnection\","
            + "\"mode\":\"audit\",\"action\":\"observed\",\"status\":308,\"method\":\"GET\",\"jdkMethod\":\"none: 3xx returned\","
            + "\"expectedMethod\":\"GET\",\"from\":\"http://a:80/x\",\"to\":\"http://a:80/y\",\"caller\":\"App.run(App.java:7)\","
            + "\"thread\":\"main\",\"detail\":\"308 not followed (none: 3xx returned)\"}";
    static final String SUMMARY = L308.replace("16:00:00.000Z", "16:05:00.000Z")
            .replace("}", ",\"repeats\":41,\"firstTs\":\"2026-11-24T16:00:01.000Z\",\"dropped\":3}");
    static final String L303 = "{\"ts\":\"2026-11-24T15:00:00.000Z\",\"rule\":\"get-after-303\",\"client\":\"HttpClient\","
            + "\"mode\":\"enforce\",\"action\":\"corrected\",\"status\":303,\"method\":\"POST\",\"jdkMethod\":\"GET\","
            + "\"expectedMethod\":\"GET\",\"from\":\"https://b:443/p\",\"to\":\"https://c:8443/q\",\"caller\":null,"
            + "\"thread\":\"HttpClient-1-Worker-0\",\"detail\":\"the JDK would have: body headers sent without the body\"}";

    record Run(int code, String out, String err) {
    }

    static Run run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] all = new String[args.length + 1];
        all[0] = "report";
        System.arraycopy(args, 0, all, 1, args.length);
        int code = ReportCommand.run(all, new ByteArrayInputStream(new byte[0]), new PrintStream(out, true),
                new PrintStream(err, true));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void flatJson() {
        Map<String, Object> m = FlatJson.parse("{\"a\":\"x\\\"y\\u00e9\",\"n\":12,\"z\":null,\"b\":true}");
        assertEquals(Map.of("a", "x\"y\u00e9", "n", 12L, "b", true), Map.of("a", m.get("a"), "n", m.get("n"), "b", m.get("b")));
        assertTrue(m.containsKey("z"));
        assertNull(FlatJson.parse("{\"a\":\"torn"));
        assertNull(FlatJson.parse("{\"a\":{\"nested\":1}}"));
        assertNull(FlatJson.parse("{\"a\":1} trailing"));
        assertNull(FlatJson.parse("plain text"));
    }

    @Test
    void summarisesPerRuleCallerAndTargetCountingRepeats(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("host-a.jsonl");
        Files.write(a, List.of(L308, SUMMARY, "garbage", "", "{\"ts\":\"x\"}"));
        Path b = dir.resolve("host-b.jsonl.gz");
        try (GZIPOutputStream gz = new GZIPOutputStream(Files.newOutputStream(b))) {
            gz.write((L303 + "\n" + L303 + "\n").getBytes(StandardCharsets.UTF_8));
        }
        Run r = run(a.toString(), b.toString());
        assertEquals(0, r.code(), r.toString());
        String out = r.out();
        assertTrue(out.startsWith("redirect-guard report: 2 files, 4 lines, 44 violations, "
                + "2026-11-24T15:00:00.000Z to 2026-11-24T16:05:00.000Z"), out);
        assertTrue(out.contains(a + ": 4 lines, 2 bad"), out);
        assertTrue(out.contains("bad lines (not agent JSON, skipped): 2, e.g. " + a + ":3, " + a + ":5"), out);
        assertTrue(out.contains("lines dropped by the agents (rate limit, full queue): 3;"), out);
        assertTrue(out.contains("  same-method-307-308                      42        2026-11-24T16:00:00.000Z  2026-11-24T16:05:00.000Z"), out);
        assertTrue(out.contains("      actions: observed 42"), out);
        assertTrue(out.contains("      42       HttpURLConnection 308 GET: JDK none: 3xx returned -> enforce GET"
                + " (308 not followed (none: 3xx returned))"), out);
        assertTrue(out.contains("      2        HttpClient 303 POST: JDK GET -> enforce GET (body headers sent without the body)"),
                "the enforce prefix is not part of the change: " + out);
        assertTrue(out.contains("  App.run(App.java:7)                      42 "), out);
        assertTrue(out.contains("  (no application frame)                   2 "), out);
        assertTrue(out.contains("  http://a:80                              42 "), out);
        assertTrue(out.contains("  https://c:8443                           2 ") && out.contains("rules: get-after-303"), out);
        // Rule groups come most frequent first.
        assertTrue(out.indexOf("same-method-307-308  ") < out.indexOf("get-after-303  "), out);
    }

    @Test
    void violationsWhoseCallerWasNotReadAreTheirOwnCallerGroup(@TempDir Path dir) throws Exception {
        String unread = L308.replace("\"caller\":\"App.run(App.java:7)\"", "\"caller\":null,\"callerUnread\":true")
                .replace("}", ",\"repeats\":500,\"firstTs\":\"2026-11-24T16:00:00.000Z\"}");
        String unknown = L308.replace("\"caller\":\"App.run(App.java:7)\"", "\"caller\":null");
        Path a = dir.resolve("a.jsonl");
        Files.write(a, List.of(L308, unread, unknown));
        Run r = run(a.toString());
        assertEquals(0, r.code(), r.toString());
        assertTrue(r.out().contains("  App.run(App.java:7)                      1 "), r.out());
        assertTrue(r.out().contains("  " + LogReport.UNREAD_CALLER + "        500 "), r.out());
        assertTrue(r.out().contains("  (no application frame)                   1 "), r.out());
    }

    @Test
    void exitCodes(@TempDir Path dir) throws Exception {
        assertEquals(2, run().code());
        assertTrue(run().err().contains("no log file given"));
        assertEquals(2, run("--json").code());
        Run help = run("--help");
        assertEquals(0, help.code());
        assertTrue(help.out().startsWith("usage: java -jar redirect-guard-agent.jar report"));
        Run missing = run(dir.resolve("nope.jsonl").toString());
        assertEquals(1, missing.code());
        assertTrue(missing.err().contains("cannot read " + dir.resolve("nope.jsonl")), missing.err());
        Path empty = dir.resolve("empty.jsonl");
        Files.write(empty, new byte[0]);
        Run some = run(dir.resolve("nope.jsonl").toString(), empty.toString());
        assertEquals(0, some.code(), "one file read is enough");
        assertTrue(some.out().contains("no violations"), some.out());
    }
}
