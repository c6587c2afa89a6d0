package dev.redirectguard.it.child.lib;

import java.io.PrintStream;
import java.nio.charset.Charset;

/**
 * What every library child program sends, and how it reports: one call per redirect status to
 * {@code <base>/<call>/start}, with the same caller headers each time, and one line
 * {@code result<TAB><call><TAB><outcome>} on stdout per call. The outcome is
 * {@code <status> <body>} or {@code exception <class> <- <cause class> ...}: class names only,
 * never a message (messages carry ports). Java 8.
 */
public final class LibCalls {
    public static final Charset UTF_8 = Charset.forName("UTF-8");
    public static final String AUTHORIZATION = "Bearer token-lib";
    public static final String COOKIE = "sid=cookie-lib";
    public static final String CUSTOM = "xc-lib";
    public static final String CONTENT_TYPE = "text/plain";

    /** POST through 307, 308 and 303, and a GET through 308 (the call a library follows most often). */
    public static final String[] CALLS = {"post307", "post308", "post303", "get308"};

    /** One request through the library; returns {@code <status> <body>}. */
    public interface Call {
        String send(String method, String url, String body) throws Exception;
    }

    private LibCalls() {
    }

    /** Makes each call of {@code calls}, named {@code <prefix><call>}, and prints its outcome. */
    public static void runAll(String prefix, String base, String[] calls, Call call) {
        PrintStream out = System.out;
        for (String c : calls) {
            String id = prefix + c;
            String method = c.startsWith("post") ? "POST" : "GET";
            String body = method.equals("POST") ? "body-" + id : null;
            String outcome;
            try {
                outcome = call.send(method, base + "/" + id + "/start", body);
            } catch (Throwable t) {
                StringBuilder b = new StringBuilder("exception ").append(t.getClass().getName());
                for (Throwable cause = t.getCause(); cause != null && cause != cause.getCause(); cause = cause.getCause()) {
                    b.append(" <- ").append(cause.getClass().getName());
                }
                outcome = b.toString();
            }
            out.println("result\t" + id + "\t" + outcome.replace('\n', ' ').replace('\r', ' ').replace('\t', ' '));
            out.flush();
        }
    }
}
