package dev.redirectguard.demo;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads one flat JSON object (string, number, boolean and null values), which is all the agent's
 * log lines are. Keeps the demo free of dependencies.
 */
final class FlatJson {
    private final String text;
    private int pos;

    private FlatJson(String text) {
        this.text = text;
    }

    /** Values as text; JSON null becomes Java null. */
    static Map<String, String> parse(String line) {
        return new FlatJson(line.trim()).object();
    }

    private Map<String, String> object() {
        Map<String, String> values = new LinkedHashMap<>();
        expect('{');
        skipSpace();
        if (peek() == '}') {
            pos++;
            return values;
        }
        while (true) {
            skipSpace();
            String key = string();
            skipSpace();
            expect(':');
            skipSpace();
            values.put(key, value());
            skipSpace();
            char c = next();
            if (c == '}') {
                return values;
            }
            if (c != ',') {
                throw error("',' or '}'");
            }
        }
    }

    private String value() {
        if (peek() == '"') {
            return string();
        }
        int start = pos;
        while (pos < text.length() && ",} \t".indexOf(text.charAt(pos)) < 0) {
            pos++;
        }
        String literal = text.substring(start, pos);
        if (literal.isEmpty()) {
            throw error("a value");
        }
        return literal.equals("null") ? null : literal;
    }

    private String string() {
        expect('"');
        StringBuilder b = new StringBuilder();
        while (true) {
            char c = next();
            if (c == '"') {
                return b.toString();
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char e = next();
            switch (e) {
                case 'n' -> b.append('\n');
                case 'r' -> b.append('\r');
                case 't' -> b.append('\t');
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'u' -> {
                    if (pos + 4 > text.length()) {
                        throw error("four hex digits");
                    }
                    b.append((char) Integer.parseInt(text.substring(pos, pos + 4), 16));
                    pos += 4;
                }
                default -> b.append(e); // \" \\ \/
            }
        }
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private char peek() {
        if (pos >= text.length()) {
            throw error("more input");
        }
        return text.charAt(pos);
    }

    private char next() {
        char c = peek();
        pos++;
        return c;
    }

    private void expect(char c) {
        if (next() != c) {
            throw error("'" + c + "'");
        }
    }

    private IllegalArgumentException error(String expected) {
        return new IllegalArgumentException("not a flat JSON object, expected " + expected + " at " + pos + ": " + text);
    }
}
