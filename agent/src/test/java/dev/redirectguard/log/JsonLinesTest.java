package dev.redirectguard.log;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;

class JsonLinesTest {
    @Test
    void encodesEveryFieldInOrder() {
        ViolationRecord r = new ViolationRecord(0L, "get-after-303", "HttpClient", "audit", "observed", 303, "HEAD",
                "GET", "HEAD", "http://a:1/x", "http://a:1/y", "App.main(App.java:3)", "main", "method GET instead of HEAD");
        assertEquals("{\"ts\":\"1970-01-01T00:00:00.000Z\",\"rule\":\"get-after-303\",\"client\":\"HttpClient\","
                + "\"mode\":\"audit\",\"action\":\"observed\",\"status\":303,\"method\":\"HEAD\",\"jdkMethod\":\"GET\","
                + "\"expectedMethod\":\"HEAD\",\"from\":\"http://a:1/x\",\"to\":\"http://a:1/y\","
                + "\"caller\":\"App.main(App.java:3)\",\"thread\":\"main\",\"detail\":\"method GET instead of HEAD\"}",
                JsonLines.encode(r));
    }

    @Test
    void scopeComesRightAfterActionOnlyWhenSet() {
        ViolationRecord r = new ViolationRecord(0L, "get-after-303", "HttpClient", "enforce", "observed", "target", 303,
                "HEAD", "GET", "HEAD", "http://a:1/x", "http://a:1/y", "App.main(App.java:3)", "main", "d");
        assertEquals("{\"ts\":\"1970-01-01T00:00:00.000Z\",\"rule\":\"get-after-303\",\"client\":\"HttpClient\","
                + "\"mode\":\"enforce\",\"action\":\"observed\",\"scope\":\"target\",\"status\":303,"
                + "\"method\":\"HEAD\",\"jdkMethod\":\"GET\",\"expectedMethod\":\"HEAD\",\"from\":\"http://a:1/x\","
                + "\"to\":\"http://a:1/y\",\"caller\":\"App.main(App.java:3)\",\"thread\":\"main\",\"detail\":\"d\","
                + "\"repeats\":2,\"firstTs\":\"1969-12-31T23:59:59.999Z\"}",
                JsonLines.encode(r, 2, -1));
        ViolationRecord none = new ViolationRecord(0L, "r", "c", "audit", "observed", null, 303, "HEAD", "GET", "HEAD",
                "f", "t", "c", "main", "d");
        assertEquals(false, JsonLines.encode(none).contains("scope"));
    }

    @Test
    void anUnreadCallerIsNullAndSaysSo() {
        ViolationRecord r = new ViolationRecord(0L, "same-method-307-308", "HttpURLConnection", "audit", "observed",
                null, 308, "POST", "none: 3xx returned", "POST", "http://a:1/x", "http://a:1/y", null, true, "main", "d");
        assertEquals("{\"ts\":\"1970-01-01T00:00:00.000Z\",\"rule\":\"same-method-307-308\","
                + "\"client\":\"HttpURLConnection\",\"mode\":\"audit\",\"action\":\"observed\",\"status\":308,"
                + "\"method\":\"POST\",\"jdkMethod\":\"none: 3xx returned\",\"expectedMethod\":\"POST\","
                + "\"from\":\"http://a:1/x\",\"to\":\"http://a:1/y\",\"caller\":null,\"callerUnread\":true,"
                + "\"thread\":\"main\",\"detail\":\"d\",\"repeats\":5,\"firstTs\":\"1970-01-01T00:00:00.000Z\"}",
                JsonLines.encode(r, 5, 0));
        ViolationRecord unknown = new ViolationRecord(0L, "r", "c", "audit", "observed", null, 308, "GET", "x", "GET",
                "f", "t", null, "main", "d");
        assertEquals(false, JsonLines.encode(unknown).contains("callerUnread"), "a caller read and not found");
    }

    /** The hand-written calendar against java.time: edges, leap days, and random instants over years 0 to 9999. */
    @Test
    void timestampsMatchJavaTime() {
        List<Long> instants = new ArrayList<>();
        for (int year : new int[] {0, 1, 4, 100, 400, 1582, 1600, 1900, 1969, 1970, 1971, 1972, 2000, 2001, 2024,
            2038, 2100, 2400, 9999}) {
            for (int[] md : new int[][] {{1, 1}, {2, 28}, {3, 1}, {12, 31}}) {
                long start = OffsetDateTime.of(year, md[0], md[1], 0, 0, 0, 0, ZoneOffset.UTC).toInstant().toEpochMilli();
                for (long delta : new long[] {-86_400_001L, -1, 0, 1, 999, 1000, 86_399_999L, 86_400_000L}) {
                    instants.add(start + delta);
                }
            }
        }
        instants.add(Instant.parse("2000-02-29T12:34:56.789Z").toEpochMilli());
        instants.add(Instant.parse("2024-02-29T23:59:59.999Z").toEpochMilli());
        long min = Instant.parse("0000-01-01T00:00:00Z").toEpochMilli();
        long max = Instant.parse("9999-12-31T23:59:59.999Z").toEpochMilli();
        SplittableRandom random = new SplittableRandom(13);
        for (int i = 0; i < 50_000; i++) {
            instants.add(random.nextLong(min, max + 1));
        }
        for (int day = -800; day < 800; day++) { // every day around 1970, both sides of the epoch
            instants.add(day * 86_400_000L + random.nextLong(86_400_000L));
        }
        for (long ms : instants) {
            if (ms < min || ms > max) {
                continue;
            }
            OffsetDateTime t = Instant.ofEpochMilli(ms).atOffset(ZoneOffset.UTC);
            String expected = String.format("%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", t.getYear(), t.getMonthValue(),
                    t.getDayOfMonth(), t.getHour(), t.getMinute(), t.getSecond(), t.getNano() / 1_000_000);
            assertEquals(expected, JsonLines.timestamp(ms), "epoch millis " + ms);
        }
        assertEquals("9999-12-31T23:59:59.999Z", JsonLines.timestamp(max));
        assertEquals("10000-01-01T00:00:00.000Z", JsonLines.timestamp(max + 1));
    }

    @Test
    void escapesQuotesControlCharactersAndNulls() {
        ViolationRecord r = new ViolationRecord(1732461868123L, "r", "c", "m", "a", 307, "POST", null, "POST", "f", "t",
                null, "worker \"1\"\n\t\\ \u0001", "d");
        String line = JsonLines.encode(r);
        assertEquals(true, line.contains("\"ts\":\"2024-11-24T15:24:28.123Z\""));
        assertEquals(true, line.contains("\"jdkMethod\":null"));
        assertEquals(true, line.contains("\"thread\":\"worker \\\"1\\\"\\n\\t\\\\ \\u0001\""));
        assertEquals(true, JsonLines.encode(new ViolationRecord(0, "r", "c", "m", "a", 307, "POST", null, "POST", "f",
                "t", null, "\u2028\u001f", "d")).contains("\"thread\":\"\\u2028\\u001f\""));
        assertEquals(-1, line.indexOf('\n'));
    }

    @Test
    void fileSinkCreatesParentsAndAppends(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        File file = dir.resolve("a/b/guard.jsonl").toFile();
        new LogSink(file.getPath()).write("{\"n\":1}");
        new LogSink(file.getPath()).write("{\"n\":2}");
        assertEquals(List.of("{\"n\":1}", "{\"n\":2}"), Files.readAllLines(file.toPath()));
    }
}
