package dev.redirectguard.log;

import java.text.SimpleDateFormat;
import java.util.Date;
import java.util.TimeZone;

/** Encodes a {@link ViolationRecord} as one JSON object on one line. No dependencies, no reflection. */
public final class JsonLines {
    private JsonLines() {
    }

    public static String encode(ViolationRecord r) {
        return encode(r, 0, 0);
    }

    /**
     * A summary line when {@code repeats > 0}: it stands for {@code repeats} identical violations
     * (same rule, client, action, caller and target origin) that got no line of their own, seen
     * from {@code firstTs} to {@code ts}; its other fields are those of the last of them.
     */
    public static String encode(ViolationRecord r, long repeats, long firstEpochMillis) {
        StringBuilder b = new StringBuilder(360);
        b.append('{');
        field(b, "ts", timestamp(r.epochMillis));
        field(b, "rule", r.rule);
        field(b, "client", r.client);
        field(b, "mode", r.mode);
        field(b, "action", r.action);
        b.append(",\"status\":").append(r.status);
        field(b, "method", r.method);
        field(b, "jdkMethod", r.jdkMethod);
        field(b, "expectedMethod", r.expectedMethod);
        field(b, "from", r.from);
        field(b, "to", r.to);
        field(b, "caller", r.caller);
        field(b, "thread", r.thread);
        field(b, "detail", r.detail);
        if (repeats > 0) {
            b.append(",\"repeats\":").append(repeats);
            field(b, "firstTs", timestamp(firstEpochMillis));
        }
        b.append('}');
        return b.toString();
    }

    /** ISO-8601 UTC with milliseconds, e.g. 2026-11-24T15:24:28.123Z (java.time is avoided: it is slow to load). */
    public static String timestamp(long epochMillis) {
        SimpleDateFormat f = new SimpleDateFormat("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", java.util.Locale.ROOT);
        f.setTimeZone(TimeZone.getTimeZone("UTC"));
        return f.format(new Date(epochMillis));
    }

    /** Appends {@code "dropped":n} to an encoded line (the writer does, when lines were dropped before it). */
    static String withDropped(String line, long dropped) {
        return line.substring(0, line.length() - 1) + ",\"dropped\":" + dropped + "}";
    }

    private static void field(StringBuilder b, String name, String value) {
        if (b.length() > 1) {
            b.append(',');
        }
        b.append('"').append(name).append("\":");
        if (value == null) {
            b.append("null");
            return;
        }
        b.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"': b.append("\\\""); break;
                case '\\': b.append("\\\\"); break;
                case '\n': b.append("\\n"); break;
                case '\r': b.append("\\r"); break;
                case '\t': b.append("\\t"); break;
                default:
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
            }
        }
        b.append('"');
    }
}
