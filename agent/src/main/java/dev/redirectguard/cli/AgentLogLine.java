package dev.redirectguard.cli;

import java.util.HashMap;
import java.util.Map;

/**
 * The fields of one agent log line (a flat JSON object: string, number, boolean and null
 * values), as strings. Null when the line is not such an object.
 */
final class AgentLogLine {
    private final String s;
    private int i;

    private AgentLogLine(String s) {
        this.s = s;
    }

    static Map<String, String> parse(String line) {
        try {
            AgentLogLine p = new AgentLogLine(line.trim());
            Map<String, String> fields = p.object();
            return p.i == p.s.length() ? fields : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private Map<String, String> object() {
        Map<String, String> m = new HashMap<String, String>();
        expect('{');
        if (s.charAt(i) == '}') {
            i++;
            return m;
        }
        for (;;) {
            String key = string();
            expect(':');
            m.put(key, value());
            char c = s.charAt(i++);
            if (c == '}') {
                return m;
            }
            if (c != ',') {
                throw new IllegalArgumentException("expected , or }");
            }
        }
    }

    private String value() {
        if (s.charAt(i) == '"') {
            return string();
        }
        int start = i;
        while (i < s.length() && ",}".indexOf(s.charAt(i)) < 0) {
            i++;
        }
        String literal = s.substring(start, i).trim();
        if (literal.isEmpty() || literal.startsWith("{") || literal.startsWith("[")) {
            throw new IllegalArgumentException("not a flat value");
        }
        return literal.equals("null") ? null : literal;
    }

    private String string() {
        expect('"');
        StringBuilder b = new StringBuilder();
        for (;;) {
            char c = s.charAt(i++);
            if (c == '"') {
                return b.toString();
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char e = s.charAt(i++);
            switch (e) {
                case 'n': b.append('\n'); break;
                case 'r': b.append('\r'); break;
                case 't': b.append('\t'); break;
                case 'b': b.append('\b'); break;
                case 'f': b.append('\f'); break;
                case 'u':
                    b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                    i += 4;
                    break;
                default: b.append(e);
            }
        }
    }

    private void expect(char c) {
        if (s.charAt(i++) != c) {
            throw new IllegalArgumentException("expected " + c);
        }
    }
}
