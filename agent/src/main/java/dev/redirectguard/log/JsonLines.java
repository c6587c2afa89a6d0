package dev.redirectguard.log;

/** Encodes a {@link ViolationRecord} as one JSON object on one line. No dependencies, no reflection. */
public final class JsonLines {
    private static final long MILLIS_PER_DAY = 86400000L;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private JsonLines() {
    }

    public static String encode(ViolationRecord r) {
        return encode(r, 0, 0);
    }

    /**
     * A summary line when {@code repeats > 0}: it stands for {@code repeats} identical violations
     * (same rule, client, action, scope, caller and target origin) that got no line of their own,
     * seen from {@code firstTs} to {@code ts}; its other fields are those of the last of them.
     */
    public static String encode(ViolationRecord r, long repeats, long firstEpochMillis) {
        StringBuilder b = new StringBuilder(360);
        b.append("{\"ts\":\"");
        appendTimestamp(b, r.epochMillis);
        b.append('"');
        field(b, "rule", r.rule);
        field(b, "client", r.client);
        field(b, "mode", r.mode);
        field(b, "action", r.action);
        if (r.scope != null) {
            field(b, "scope", r.scope);
        }
        b.append(",\"status\":").append(r.status);
        field(b, "method", r.method);
        field(b, "jdkMethod", r.jdkMethod);
        field(b, "expectedMethod", r.expectedMethod);
        field(b, "from", r.from);
        field(b, "to", r.to);
        field(b, "caller", r.caller);
        if (r.callerUnread) {
            b.append(",\"callerUnread\":true");
        }
        field(b, "thread", r.thread);
        field(b, "detail", r.detail);
        if (repeats > 0) {
            b.append(",\"repeats\":").append(repeats).append(",\"firstTs\":\"");
            appendTimestamp(b, firstEpochMillis);
            b.append('"');
        }
        b.append('}');
        return b.toString();
    }

    /** ISO-8601 UTC with milliseconds, e.g. 2026-11-24T15:24:28.123Z. */
    public static String timestamp(long epochMillis) {
        StringBuilder b = new StringBuilder(24);
        appendTimestamp(b, epochMillis);
        return b.toString();
    }

    /**
     * Plain arithmetic on the proleptic Gregorian calendar in UTC (H. Hinnant's civil_from_days),
     * the same as java.time for years 0 to 9999: no java.time (slow to load in an agent), no
     * SimpleDateFormat or TimeZone (a lock and a lookup per line).
     */
    static void appendTimestamp(StringBuilder b, long epochMillis) {
        long days = Math.floorDiv(epochMillis, MILLIS_PER_DAY);
        int millisOfDay = (int) Math.floorMod(epochMillis, MILLIS_PER_DAY);
        long z = days + 719468;                                         // days since 0000-03-01
        long era = (z >= 0 ? z : z - 146096) / 146097;                  // 400-year eras
        long dayOfEra = z - era * 146097;                               // [0, 146096]
        long yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146096) / 365; // [0, 399]
        long dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100); // [0, 365], from March
        long monthFromMarch = (5 * dayOfYear + 2) / 153;                // [0, 11]
        int day = (int) (dayOfYear - (153 * monthFromMarch + 2) / 5 + 1);
        int month = (int) (monthFromMarch < 10 ? monthFromMarch + 3 : monthFromMarch - 9);
        long year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
        if (year >= 0 && year <= 9999) {
            digits(b, (int) year, 4);
        } else {
            b.append(year);
        }
        b.append('-');
        digits(b, month, 2);
        b.append('-');
        digits(b, day, 2);
        b.append('T');
        digits(b, millisOfDay / 3600000, 2);
        b.append(':');
        digits(b, millisOfDay / 60000 % 60, 2);
        b.append(':');
        digits(b, millisOfDay / 1000 % 60, 2);
        b.append('.');
        digits(b, millisOfDay % 1000, 3);
        b.append('Z');
    }

    private static void digits(StringBuilder b, int value, int width) {
        for (int div = width == 4 ? 1000 : width == 3 ? 100 : 10; div > 0; div /= 10) {
            b.append((char) ('0' + value / div % 10));
        }
    }

    /** Appends {@code "dropped":n} to an encoded line (the writer does, when lines were dropped before it). */
    static String withDropped(String line, long dropped) {
        return line.substring(0, line.length() - 1) + ",\"dropped\":" + dropped + "}";
    }

    private static void field(StringBuilder b, String name, String value) {
        b.append(",\"").append(name).append("\":");
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
                        b.append("\\u").append(HEX[c >> 12]).append(HEX[c >> 8 & 15]).append(HEX[c >> 4 & 15])
                                .append(HEX[c & 15]);
                    } else {
                        b.append(c);
                    }
            }
        }
        b.append('"');
    }
}
