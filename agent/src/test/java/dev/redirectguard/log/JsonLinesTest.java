package dev.redirectguard.log;

import org.junit.jupiter.api.Test;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
    void escapesQuotesControlCharactersAndNulls() {
        ViolationRecord r = new ViolationRecord(1732461868123L, "r", "c", "m", "a", 307, "POST", null, "POST", "f", "t",
                null, "worker \"1\"\n\t\\ \u0001", "d");
        String line = JsonLines.encode(r);
        assertEquals(true, line.contains("\"ts\":\"2024-11-24T15:24:28.123Z\""));
        assertEquals(true, line.contains("\"jdkMethod\":null"));
        assertEquals(true, line.contains("\"thread\":\"worker \\\"1\\\"\\n\\t\\\\ \\u0001\""));
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
