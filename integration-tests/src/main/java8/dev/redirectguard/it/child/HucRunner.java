package dev.redirectguard.it.child;

import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.util.List;

/**
 * Child program: sends each case of the case file with HttpURLConnection (redirects followed,
 * as by default) and writes what the caller saw. Sequential and deterministic.
 *
 * <p>Usage: {@code HucRunner <cases.tsv> <results.jsonl>}
 */
public final class HucRunner {
    static final String CLIENT = "HttpURLConnection";

    public static void main(String[] args) throws IOException {
        List<ChildCase> cases = ChildCase.readAll(new File(args[0]));
        ResultWriter out = new ResultWriter(new File(args[1]));
        try {
            for (ChildCase c : cases) {
                out.write(run(c));
            }
        } finally {
            out.close();
        }
    }

    static ResultLine run(ChildCase c) {
        ResultLine result = new ResultLine(c, CLIENT);
        HttpURLConnection conn;
        try {
            conn = prepare(c);
        } catch (Throwable t) {
            result.setupError(t);
            return result;
        }
        // HttpURLConnection may change the method while setting up (GET with output becomes POST).
        result.put("sentMethod", conn.getRequestMethod());
        try {
            // Read the body first: getResponseCode() would hide an HttpRetryException behind the 30x code.
            InputStream in = conn.getInputStream();
            result.put("body", readUtf8(in));
            result.put("status", conn.getResponseCode());
        } catch (Throwable t) {
            result.error(t);
            try {
                result.put("status", conn.getResponseCode());
            } catch (Throwable ignored) {
                // no status line at all: leave status null
            }
        }
        result.put("finalMethod", conn.getRequestMethod());
        result.put("finalUrl", conn.getURL().toString());
        return result;
    }

    /** Builds the request; for the streaming modes this already sends the headers and the body. */
    private static HttpURLConnection prepare(ChildCase c) throws IOException {
        HttpURLConnection conn = (HttpURLConnection) new URL(c.url).openConnection();
        conn.setConnectTimeout(10000);
        conn.setReadTimeout(30000);
        conn.setInstanceFollowRedirects(true);
        conn.setRequestMethod(c.method);
        conn.setRequestProperty("Authorization", ChildCase.authorization(c.id));
        conn.setRequestProperty("Cookie", ChildCase.cookie(c.id));
        conn.setRequestProperty("X-Custom", ChildCase.custom(c.id));
        if (c.hasBody()) {
            byte[] body = c.bodyBytes();
            conn.setRequestProperty("Content-Type", ChildCase.CONTENT_TYPE);
            conn.setDoOutput(true);
            if ("fixed".equals(c.bodyMode)) {
                conn.setFixedLengthStreamingMode(body.length);
            } else if ("chunked".equals(c.bodyMode)) {
                conn.setChunkedStreamingMode(0);
            } else if (!"buffered".equals(c.bodyMode)) {
                throw new IllegalArgumentException("body mode " + c.bodyMode);
            }
            OutputStream os = conn.getOutputStream();
            os.write(body);
            os.close();
        }
        return conn;
    }

    static String readUtf8(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        try {
            for (int n; (n = in.read(chunk)) != -1; ) {
                buf.write(chunk, 0, n);
            }
        } finally {
            in.close();
        }
        return new String(buf.toByteArray(), ChildCase.UTF_8);
    }
}
