package dev.redirectguard.it.child.sequence;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/** What the caller of one call saw, written as one JSON object per line (read back by the test). */
public final class SeqOutcome {
    private final Map<String, Object> fields = new LinkedHashMap<String, Object>();

    public SeqOutcome(SeqPlan.Call call) {
        put("call", call.id);
    }

    public SeqOutcome put(String name, Object value) {
        fields.put(name, value);
        return this;
    }

    /** The exception the caller got: class and message, and those of its cause (their shape is compared). */
    public void error(String prefix, Throwable t) {
        put(prefix + "error", t.getClass().getName());
        put(prefix + "message", t.getMessage());
        if (t.getCause() != null) {
            put(prefix + "cause", t.getCause().getClass().getName());
            put(prefix + "causeMessage", t.getCause().getMessage());
        }
    }

    public Object get(String name) {
        return fields.get(name);
    }

    public boolean has(String name) {
        return fields.containsKey(name);
    }

    public String toJson() {
        StringBuilder sb = new StringBuilder("{");
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            if (sb.length() > 1) {
                sb.append(',');
            }
            quote(sb, e.getKey());
            sb.append(':');
            Object v = e.getValue();
            if (v == null) {
                sb.append("null");
            } else if (v instanceof Number || v instanceof Boolean) {
                sb.append(v);
            } else {
                quote(sb, v.toString());
            }
        }
        return sb.append('}').toString();
    }

    private static void quote(StringBuilder sb, String s) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '"': sb.append("\\\""); break;
                case '\\': sb.append("\\\\"); break;
                case '\n': sb.append("\\n"); break;
                case '\r': sb.append("\\r"); break;
                case '\t': sb.append("\\t"); break;
                default:
                    if (ch < 0x20) {
                        sb.append(String.format("\\u%04x", (int) ch));
                    } else {
                        sb.append(ch);
                    }
            }
        }
        sb.append('"');
    }

    public static String read(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        try {
            for (int n; (n = in.read(chunk)) != -1; ) {
                buf.write(chunk, 0, n);
            }
        } finally {
            in.close();
        }
        return new String(buf.toByteArray(), SeqPlan.UTF_8);
    }
}
