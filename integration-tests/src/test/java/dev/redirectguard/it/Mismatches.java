package dev.redirectguard.it;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Collects every mismatch of one run so a failure lists them all (JDK, client, mode, case, field)
 * instead of stopping at the first. The full list also goes to a file in the run's directory.
 */
final class Mismatches {
    private static final int MAX_LINES_IN_MESSAGE = 60;

    private final String run;
    private final List<String> lines = new ArrayList<>();

    Mismatches(String run) {
        this.run = run;
    }

    void add(String caseId, String field, Object expected, Object actual) {
        lines.add("[" + run + "] " + caseId + ": " + field + ": expected " + show(expected) + ", got " + show(actual));
    }

    void add(String message) {
        lines.add("[" + run + "] " + message);
    }

    int size() {
        return lines.size();
    }

    void assertNone(Path fullList) {
        try {
            Files.write(fullList, lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (lines.isEmpty()) {
            return;
        }
        StringBuilder sb = new StringBuilder(lines.size() + " mismatches in " + run + ":\n");
        lines.stream().limit(MAX_LINES_IN_MESSAGE).forEach(l -> sb.append(l).append('\n'));
        if (lines.size() > MAX_LINES_IN_MESSAGE) {
            sb.append("... ").append(lines.size() - MAX_LINES_IN_MESSAGE).append(" more in ").append(fullList);
        }
        fail(sb.toString());
    }

    static String show(Object v) {
        if (v instanceof String s) {
            return '"' + s.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n").replace("\r", "\\r") + '"';
        }
        return String.valueOf(v);
    }
}
