package dev.redirectguard.it.child;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a child runner reports for one case, written as one JSON object per line. Field names
 * are read back by the test's ChildResult.
 */
public final class ResultLine {
    private final Map<String, Object> fields = new LinkedHashMap<String, Object>();

    public ResultLine(ChildCase c, String client) {
        put("id", c.id);
        put("client", client);
        put("invocation", c.invocation);
        put("method", c.method);
        put("bodyMode", c.bodyMode);
        put("setup", "ok");
    }

    public ResultLine put(String name, Object value) {
        fields.put(name, value);
        return this;
    }

    /** A failure while building the request, before anything could be sent. */
    public void setupError(Throwable t) {
        put("setup", "setup-error:" + t.getClass().getName());
        error(t);
    }

    public void error(Throwable t) {
        put("error", t.getClass().getName());
        put("errorMessage", t.getMessage());
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
}
