package dev.redirectguard.doctor.child;

import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * The java.net.http cases (Java 11+; {@link DoctorChild} loads this class by name only there):
 * HTTP/1.1 clients with {@code Redirect.NORMAL} or {@code ALWAYS}, {@code send}, the caller's
 * headers on the request builder. The result is the final status, or the class of what
 * {@code send} threw.
 */
final class HttpClientCases implements CaseRunner {
    // A few cases at a time: on HTTP/1.1 a request with a body waits about 40 ms for the server's
    // delayed ACK (the client writes headers and body separately), which adds up in sequence.
    private final ExecutorService senders = Executors.newFixedThreadPool(4, DoctorChild.threads("doctor-http-client"));
    /** Per redirect policy and trust: "always" / "normal", with or without the doctor's certificate. */
    private final Map<String, HttpClient> clients = new HashMap<String, HttpClient>();

    @Override
    public void submit(DoctorCase c, CallerHeaders headers, SSLContext tls, PrintStream out) {
        HttpClient client = client(c.redirects.equals("always"), tls);
        senders.execute(() -> send(client, c, headers, out));
    }

    @Override
    public void finish() throws InterruptedException {
        senders.shutdown();
        senders.awaitTermination(1, TimeUnit.HOURS); // the doctor's own deadline bounds the whole child
    }

    private HttpClient client(boolean always, SSLContext tls) {
        String key = (always ? "always" : "normal") + (tls == null ? "" : " tls");
        HttpClient client = clients.get(key);
        if (client == null) {
            HttpClient.Builder b = HttpClient.newBuilder()
                    .followRedirects(always ? HttpClient.Redirect.ALWAYS : HttpClient.Redirect.NORMAL)
                    .version(HttpClient.Version.HTTP_1_1)
                    .connectTimeout(Duration.ofSeconds(10));
            if (tls != null) {
                b.sslContext(tls);
            }
            client = b.build();
            clients.put(key, client);
        }
        return client;
    }

    private static void send(HttpClient client, DoctorCase c, CallerHeaders headers, PrintStream out) {
        try {
            HttpResponse<byte[]> response = client.send(request(c, headers), HttpResponse.BodyHandlers.ofByteArray());
            DoctorChild.result(out, c.id, String.valueOf(response.statusCode()), "");
        } catch (Throwable t) {
            DoctorChild.exception(out, c.id, t);
        }
    }

    private static HttpRequest request(DoctorCase c, CallerHeaders headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(c.url))
                .timeout(Duration.ofSeconds(20))
                .header("Authorization", headers.authorization)
                .header("Cookie", headers.cookie)
                .header("X-Custom", headers.custom);
        HttpRequest.BodyPublisher body;
        if (c.body.equals("none")) {
            body = HttpRequest.BodyPublishers.noBody();
        } else if (c.body.equals("string")) {
            body = HttpRequest.BodyPublishers.ofString(new String(headers.body, CallerHeaders.UTF_8));
        } else if (c.body.equals("input-stream")) {
            // A fresh stream per subscription: what an application does when the body may go twice.
            byte[] bytes = headers.body;
            body = HttpRequest.BodyPublishers.ofInputStream(() -> DoctorChild.bytes(bytes));
        } else {
            throw new IllegalArgumentException("body " + c.body);
        }
        if (c.hasBody()) {
            b.header("Content-Type", CallerHeaders.CONTENT_TYPE);
        }
        return b.method(c.method, body).build();
    }
}
