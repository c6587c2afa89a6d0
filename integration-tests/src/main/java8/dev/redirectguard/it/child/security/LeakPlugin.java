package dev.redirectguard.it.child.security;

import dev.redirectguard.it.child.lib.LibCalls;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.net.HttpURLConnection;
import java.net.URL;
import java.util.concurrent.Callable;

/**
 * A web application's code, as LeakApp loads it: in its own class loader, on a thread whose
 * context class loader that is, it puts one of its own objects in an {@link InheritableThreadLocal}
 * and makes violating requests ({@code huc-<method><status>} with HttpURLConnection,
 * {@code hc-<method><status>} with HttpClient through {@code LeakPluginHttpClient}), each to
 * {@code <base>/<call>/start} with the caller headers of {@link LibCalls}. Returns one
 * {@code result<TAB><call><TAB><outcome>} line per call. Java 8.
 */
public final class LeakPlugin implements Callable<String> {
    /** Set on the calling thread: any thread created on it afterwards inherits a {@link Marker}. */
    static final InheritableThreadLocal<Object> LOCAL = new InheritableThreadLocal<Object>();

    /** An object of this loader's own class, for LOCAL to hold. */
    static final class Marker {
    }

    private final String base;
    private final String[] calls;

    public LeakPlugin(String base, String[] calls) {
        this.base = base;
        this.calls = calls.clone();
    }

    @Override
    public String call() {
        LOCAL.set(new Marker());
        StringBuilder out = new StringBuilder();
        for (String call : calls) {
            String method = call.substring(call.indexOf('-') + 1, call.length() - 3).toUpperCase();
            String url = base + "/" + call + "/start";
            String body = method.equals("POST") || method.equals("PUT") ? "body-" + call : null;
            String outcome;
            try {
                if (call.startsWith("hc-")) {
                    outcome = (String) Class.forName("dev.redirectguard.it.child.security.LeakPluginHttpClient")
                            .getMethod("send", String.class, String.class, String.class).invoke(null, method, url, body);
                } else {
                    outcome = huc(method, url, body);
                }
            } catch (InvocationTargetException e) {
                outcome = "exception " + e.getCause();
            } catch (Throwable t) {
                outcome = "exception " + t;
            }
            out.append("result\t").append(call).append('\t').append(outcome.replace('\n', ' ').replace('\t', ' '))
                    .append('\n');
        }
        return out.toString();
    }

    private static String huc(String method, String url, String body) throws Exception {
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
            OutputStream out = c.getOutputStream();
            out.write(body.getBytes(LibCalls.UTF_8));
            out.close();
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
