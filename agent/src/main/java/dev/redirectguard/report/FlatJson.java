package dev.redirectguard.report;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads one JSON object whose values are strings, numbers, booleans or null: exactly what the
 * agent writes (and what the demo and the integration tests read, with this one reader). Anything
 * else (nesting, trailing text, a torn line) is refused with null, which the report counts as a
 * bad line. No dependency.
 */
public final class FlatJson {
    private final String s;
    private int i;

    private FlatJson(String s) {
        this.s = s;
    }

    /** @return the fields (numbers as Long or Double), or null when the line is not such an object */
    public static Map<String, Object> parse(String line) {
        try {
            FlatJson p = new FlatJson(line);
            Map<String, Object> m = p.object();
            p.space();
            return p.i == line.length() ? m : null;
        } catch (RuntimeException e) {
            return null;
        }
    }

    private Map<String, Object> object() {
        space();
        expect('{');
        Map<String, Object> m = new LinkedHashMap<String, Object>();
        space();
        if (peek() == '}') {
            i++;
            return m;
        }
        for (;;) {
            space();
            String key = string();
            space();
            expect(':');
            space();
            m.put(key, value());
            space();
            char c = s.charAt(i++);
            if (c == '}') {
                return m;
            }
            if (c != ',') {
                throw new IllegalArgumentException("expected , or }");
            }
        }
    }

    private Object value() {
        char c = peek();
        if (c == '"') {
            return string();
        }
        if (s.startsWith("null", i)) {
            i += 4;
            return null;
        }
        if (s.startsWith("true", i)) {
            i += 4;
            return Boolean.TRUE;
        }
        if (s.startsWith("false", i)) {
            i += 5;
            return Boolean.FALSE;
        }
        int start = i;
        while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) {
            i++;
        }
        String n = s.substring(start, i);
        if (n.isEmpty()) {
            throw new IllegalArgumentException("not a flat value");
        }
        return n.indexOf('.') < 0 && n.indexOf('e') < 0 && n.indexOf('E') < 0 ? (Object) Long.valueOf(n)
                : (Object) Double.valueOf(n);
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

    private char peek() {
        return s.charAt(i);
    }

    private void expect(char c) {
        if (s.charAt(i++) != c) {
            throw new IllegalArgumentException("expected " + c);
        }
    }

    private void space() {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
    }
}
