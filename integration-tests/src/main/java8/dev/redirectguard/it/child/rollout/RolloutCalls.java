package dev.redirectguard.it.child.rollout;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.Charset;

/**
 * What every call of the rollout child sends, whichever package makes it: the caller headers
 * (credentials and a custom one) and, for POST, PUT and PATCH, a body with Content-Type. The
 * request itself is sent by the caller classes in {@code billing} and {@code legacy}, so that the
 * hop's caller frame is theirs.
 */
public final class RolloutCalls {
    public static final Charset UTF_8 = Charset.forName("UTF-8");
    public static final String AUTHORIZATION = "Bearer rollout-token";
    public static final String COOKIE = "sid=rollout-cookie";
    public static final String CUSTOM = "rollout-custom";
    public static final String CONTENT_TYPE = "text/plain; charset=utf-8";

    private RolloutCalls() {
    }

    public static boolean hasBody(String method) {
        return method.equals("POST") || method.equals("PUT") || method.equals("PATCH");
    }

    /** Bytes outside ASCII, so that a re-encoded body would show. */
    public static String body(String url) {
        return "body \u00e9\u20ac " + url.substring(url.lastIndexOf('/') + 1);
    }

    /** A connection with the caller headers and, where the method has one, the body written (buffered). */
    public static HttpURLConnection open(String method, String url) throws Exception {
        HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
        c.setConnectTimeout(10000);
        c.setReadTimeout(30000);
        c.setRequestMethod(method);
        c.setRequestProperty("Authorization", AUTHORIZATION);
        c.setRequestProperty("Cookie", COOKIE);
        c.setRequestProperty("X-Custom", CUSTOM);
        if (hasBody(method)) {
            c.setDoOutput(true);
            c.setRequestProperty("Content-Type", CONTENT_TYPE);
            OutputStream out = c.getOutputStream();
            out.write(body(url).getBytes(UTF_8));
            out.close();
        }
        return c;
    }

    /** "STATUS BODY" of a connection whose response has arrived. */
    public static String answer(HttpURLConnection c, int status) throws Exception {
        InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream();
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        if (in != null) {
            byte[] buf = new byte[4096];
            for (int n; (n = in.read(buf)) > 0; ) {
                text.write(buf, 0, n);
            }
            in.close();
        }
        return status + " " + new String(text.toByteArray(), UTF_8);
    }
}
