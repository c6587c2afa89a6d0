package dev.redirectguard.doctor.child;

import java.io.OutputStream;
import java.io.PrintStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.SSLContext;

/**
 * The HttpURLConnection cases, one after the other on one thread, as applications write them:
 * redirects followed (the default), the caller's headers set with setRequestProperty, a body
 * written buffered or in one of the streaming modes, then getInputStream(). The result is the
 * status the caller finally sees, or the class of what it threw.
 */
final class UrlConnectionCases implements CaseRunner {
    static final String CLIENT = "HttpURLConnection";

    private final ExecutorService sender = Executors.newSingleThreadExecutor(DoctorChild.threads("doctor-url-connection"));

    @Override
    public void submit(final DoctorCase c, final CallerHeaders headers, final SSLContext tls, final PrintStream out) {
        sender.execute(new Runnable() {
            @Override
            public void run() {
                try {
                    DoctorChild.result(out, c.id, String.valueOf(send(c, headers, tls)), "");
                } catch (Throwable t) {
                    DoctorChild.exception(out, c.id, t);
                }
            }
        });
    }

    @Override
    public void finish() throws InterruptedException {
        sender.shutdown();
        sender.awaitTermination(1, TimeUnit.HOURS); // the doctor's own deadline bounds the whole child
    }

    private static int send(DoctorCase c, CallerHeaders headers, SSLContext tls) throws Exception {
        HttpURLConnection conn = (HttpURLConnection) new URL(c.url).openConnection();
        if (conn instanceof HttpsURLConnection && tls != null) {
            ((HttpsURLConnection) conn).setSSLSocketFactory(tls.getSocketFactory());
        }
        conn.setConnectTimeout(10000);
        conn.setReadTimeout(20000);
        conn.setInstanceFollowRedirects(true);
        conn.setRequestMethod(c.method);
        conn.setRequestProperty("Authorization", headers.authorization);
        conn.setRequestProperty("Cookie", headers.cookie);
        conn.setRequestProperty("X-Custom", headers.custom);
        if (c.hasBody()) {
            conn.setRequestProperty("Content-Type", CallerHeaders.CONTENT_TYPE);
            conn.setDoOutput(true);
            if (c.body.equals("fixed")) {
                conn.setFixedLengthStreamingMode(headers.body.length);
            } else if (c.body.equals("chunked")) {
                conn.setChunkedStreamingMode(0);
            } else if (!c.body.equals("buffered")) {
                throw new IllegalArgumentException("body " + c.body);
            }
            OutputStream os = conn.getOutputStream();
            os.write(headers.body);
            os.close();
        }
        // getInputStream() first: getResponseCode() would hide an HttpRetryException behind the 3xx.
        DoctorChild.drain(conn.getInputStream());
        return conn.getResponseCode();
    }
}
