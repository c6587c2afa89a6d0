package dev.redirectguard.it;

import dev.redirectguard.report.FlatJson;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One line of the agent's JSON Lines log, tied to its case through the path of {@code from}.
 *
 * @param fields null when the line is not a JSON object
 * @param caseId null when {@code from} names no {@code /c/<id>/start} path
 */
record LogLine(int number, String raw, Map<String, Object> fields, String caseId) {
    private static final Pattern START_PATH = Pattern.compile("/c/([^/]+)/start");

    static List<LogLine> read(Path file) throws IOException {
        List<LogLine> lines = new ArrayList<>();
        if (!Files.exists(file)) {
            return lines;
        }
        int n = 0;
        for (String raw : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            n++;
            if (raw.isBlank()) {
                continue;
            }
            Map<String, Object> fields = FlatJson.parse(raw);
            lines.add(new LogLine(n, raw, fields, fields == null ? null : caseOf(fields.get("from"))));
        }
        return lines;
    }

    private static String caseOf(Object from) {
        if (!(from instanceof String s)) {
            return null;
        }
        try {
            Matcher m = START_PATH.matcher(String.valueOf(URI.create(s).getPath()));
            return m.matches() ? m.group(1) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    Object get(String field) {
        return fields.get(field);
    }

    String text(String field) {
        Object v = fields.get(field);
        return v == null ? null : v.toString();
    }
}
