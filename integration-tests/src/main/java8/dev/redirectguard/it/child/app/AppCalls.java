package dev.redirectguard.it.child.app;

import dev.redirectguard.it.child.lib.LibCalls;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.net.HttpURLConnection;
import java.net.URL;

/**
 * Plain JDK-client calls for the real-world tests that are about the surroundings (another agent,
 * a proxy, nginx, TLS), not a library: HttpURLConnection directly, and HttpClient (11+) through
 * {@code AppHttpClient}, loaded by name so that this class stays Java 8. Results as {@link LibCalls}.
 *
 * <p>Arguments: {@code <base url> <call>...}; a call is {@code huc-<method><status>} or
 * {@code hc-<method><status>} (e.g. {@code huc-get308}, {@code hc-post303}; {@code hca-}: HttpClient's
 * sendAsync, the calling thread not waiting on the future; {@code x} before the
 * method, as in {@code hc-xpost307}, only tells the server to redirect to another origin), sent to
 * {@code <base>/<call>/start} with the caller headers of {@link LibCalls}, a body and Content-Type
 * for POST and PUT.
 */
public final class AppCalls {
    private AppCalls() {
    }

    public static void main(String[] args) {
        String base = args[0];
        String[] calls = new String[args.length - 1];
        System.arraycopy(args, 1, calls, 0, calls.length);
        run(base, calls);
    }

    public static void run(String base, String[] calls) {
        for (final String call : calls) {
            LibCalls.runAll("", base, new String[] {call}, (ignored, url, ignoredBody) -> {
                String method = call.substring(call.indexOf('-') + 1, call.length() - 3).toUpperCase();
                if (method.startsWith("X")) {
                    method = method.substring(1); // x: the server redirects to another origin
                }
                String body = method.equals("POST") || method.equals("PUT") ? "body-" + call : null;
                if (call.startsWith("hc-") || call.startsWith("hca-")) {
                    try {
                        return (String) Class.forName("dev.redirectguard.it.child.app.AppHttpClient")
                                .getMethod(call.startsWith("hca-") ? "sendDetached" : "send", String.class, String.class,
                                        String.class).invoke(null, method, url, body);
                    } catch (InvocationTargetException e) {
                        throw (Exception) e.getCause();
                    }
                }
                return huc(method, url, body);
            });
        }
    }

    static String huc(String method, String url, String body) throws Exception {
        HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
        c.setConnectTimeout(10000);
        c.setReadTimeout(30000);
        c.setRequestMethod(method);
        c.setRequestProperty("Authorization", LibCalls.AUTHORIZATION);
        c.setRequestProperty("Cookie", LibCalls.COOKIE);
        c.setRequestProperty("X-Custom", LibCalls.CUSTOM);
        if (body != null) {
            c.setDoOutput(true);
            c.setRequestProperty("Content-Type", LibCalls.CONTENT_TYPE);
            try (OutputStream out = c.getOutputStream()) {
                out.write(body.getBytes(LibCalls.UTF_8));
            }
        }
        int status = c.getResponseCode();
        InputStream in = status < 400 ? c.getInputStream() : c.getErrorStream();
        ByteArrayOutputStream text = new ByteArrayOutputStream();
        if (in != null) {
            byte[] buf = new byte[4096];
            for (int n; (n = in.read(buf)) > 0; ) {
                text.write(buf, 0, n);
            }
            in.close();
        }
        return status + " " + new String(text.toByteArray(), LibCalls.UTF_8);
    }
}
