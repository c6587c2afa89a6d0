package dev.redirectguard.it.child;

import java.io.BufferedReader;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.List;

/**
 * One case as a child runner sees it: a line of the tab-separated case file the test writes.
 * Also the single source of the per-case header values and body, which the test's oracle uses
 * too, so the child and the assertions cannot drift apart. Java 8: loaded by every JDK.
 */
public final class ChildCase {
    public static final Charset UTF_8 = Charset.forName("UTF-8");
    public static final String CONTENT_TYPE = "text/plain; charset=utf-8";

    /** Column order of the case file: id, invocation, method, body mode, start URL. */
    public final String id;
    /** HttpClient only: "send" or "async"; "-" for HttpURLConnection. */
    public final String invocation;
    public final String method;
    /** none | buffered | fixed | chunked (HttpURLConnection); none | string | input-stream (HttpClient). */
    public final String bodyMode;
    public final String url;

    public ChildCase(String id, String invocation, String method, String bodyMode, String url) {
        this.id = id;
        this.invocation = invocation;
        this.method = method;
        this.bodyMode = bodyMode;
        this.url = url;
    }

    public String toLine() {
        return id + '\t' + invocation + '\t' + method + '\t' + bodyMode + '\t' + url;
    }

    public static ChildCase parse(String line) {
        String[] f = line.split("\t", -1);
        if (f.length != 5) {
            throw new IllegalArgumentException("bad case line: " + line);
        }
        return new ChildCase(f[0], f[1], f[2], f[3], f[4]);
    }

    public static List<ChildCase> readAll(File file) throws IOException {
        List<ChildCase> cases = new ArrayList<ChildCase>();
        BufferedReader in = new BufferedReader(new InputStreamReader(new FileInputStream(file), UTF_8));
        try {
            for (String line; (line = in.readLine()) != null; ) {
                if (!line.isEmpty()) {
                    cases.add(parse(line));
                }
            }
        } finally {
            in.close();
        }
        return cases;
    }

    public boolean hasBody() {
        return !"none".equals(bodyMode);
    }

    // Values are distinct from the id (which appears in URLs) so a log line that leaks one is detectable.
    public static String authorization(String id) {
        return "Bearer token-" + id;
    }

    public static String cookie(String id) {
        return "sid=cookie-" + id;
    }

    public static String custom(String id) {
        return "xc-" + id;
    }

    public static String body(String id) {
        return "body-" + id;
    }

    public static String targetBody(String id) {
        return "ok:" + id;
    }

    public byte[] bodyBytes() {
        return body(id).getBytes(UTF_8);
    }
}
