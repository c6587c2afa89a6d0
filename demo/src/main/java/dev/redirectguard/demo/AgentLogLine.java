package dev.redirectguard.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import dev.redirectguard.report.FlatJson;

/** One line of the agent's JSON log: one rule that one redirect hop broke. */
record AgentLogLine(String rule, String client, String mode, String action, int status, String method,
                    String jdkMethod, String expectedMethod, String from, String to, String caller, String detail) {

    static AgentLogLine parse(String json) {
        Map<String, Object> f = FlatJson.parse(json);
        if (f == null) {
            throw new IllegalArgumentException("not a log line: " + json);
        }
        return new AgentLogLine(text(f, "rule"), text(f, "client"), text(f, "mode"), text(f, "action"),
                ((Number) f.get("status")).intValue(), text(f, "method"), text(f, "jdkMethod"),
                text(f, "expectedMethod"), text(f, "from"), text(f, "to"), text(f, "caller"), text(f, "detail"));
    }

    private static String text(Map<String, Object> fields, String name) {
        Object v = fields.get(name);
        return v == null ? null : v.toString();
    }

    /** All lines of a log file; none when the agent never wrote it (it opens the file on the first line). */
    static List<AgentLogLine> readAll(Path file) throws IOException {
        if (!Files.exists(file)) {
            return List.of();
        }
        return Files.readAllLines(file).stream().filter(l -> !l.isBlank()).map(AgentLogLine::parse).toList();
    }

    /** {@code OrderClient.sendWithBody(OrderClient.java:97)}: the caller frame without its package. */
    String shortCaller() {
        if (caller == null) {
            return "-";
        }
        int paren = caller.indexOf('(');
        String qualified = paren < 0 ? caller : caller.substring(0, paren);
        int methodDot = qualified.lastIndexOf('.');
        int classDot = methodDot < 0 ? -1 : qualified.lastIndexOf('.', methodDot - 1);
        return caller.substring(classDot + 1);
    }
}
