package dev.redirectguard.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * A recording origin on loopback for the real-world tests (libraries, nginx, proxy, other agents).
 * {@code .../<call>/start} answers the 3xx that ends {@code <call>} ({@code post307} -> 307) with
 * {@code Location: <this server>.../<call>/target} (another origin for a call {@code <client>-x...}:
 * {@code localhost} instead of {@code 127.0.0.1}); {@code .../<call>/target} answers 200
 * {@code ok:<call>} (a SOAP envelope around it when the path has {@code /jaxws}); every request
 * is recorded under its path, with what the rules are about: method, body, body and caller headers.
 */
final class EchoServer implements AutoCloseable {
    private static final Pattern CALL = Pattern.compile("(.*/)([a-z0-9-]*?(\\d{3}))/(start|target)");

    /** One request as it arrived. {@code forwarded} is the {@code Forwarded} header a proxy adds (null: none). */
    record Received(String method, String body, String contentType, String authorization, String cookie,
                    String custom, String forwarded) {
        /** {@code POST body=body-x ct=text/plain auth=Bearer ... cookie=... custom=...}, '-' for absent. */
        String describe() {
            return method + " body=" + shortBody() + " ct=" + dash(contentType) + " auth=" + dash(authorization)
                    + " cookie=" + dash(cookie) + " custom=" + dash(custom);
        }

        private String shortBody() {
            if (body.isEmpty()) {
                return "-";
            }
            Matcher m = Pattern.compile("<echo xmlns=\"[^\"]*\">([^<]*)</echo>").matcher(body);
            return m.find() ? "soap(" + m.group(1) + ")" : body;
        }

        private static String dash(String s) {
            return s == null ? "-" : s;
        }
    }

    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "echo-server");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, List<Received>> received = new ConcurrentHashMap<>();
    private volatile String targetBase;

    /** @param tls null: http */
    EchoServer(SSLContext tls) throws IOException {
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        if (tls != null) {
            HttpsServer https = HttpsServer.create(any, 0);
            https.setHttpsConfigurator(new HttpsConfigurator(tls));
            server = https;
        } else {
            server = HttpServer.create(any, 0);
        }
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    EchoServer() throws IOException {
        this(null);
    }

    String base() {
        return (server instanceof HttpsServer ? "https" : "http") + "://127.0.0.1:" + server.getAddress().getPort();
    }

    int port() {
        return server.getAddress().getPort();
    }

    /** The {@code -x} calls' redirects point to {@code base} instead of this server as {@code localhost}. */
    void redirectTo(String base) {
        targetBase = base;
    }

    List<Received> received(String path) {
        return List.copyOf(received.getOrDefault(path, List.of()));
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            var h = exchange.getRequestHeaders();
            received.computeIfAbsent(path, p -> new CopyOnWriteArrayList<>()).add(new Received(
                    exchange.getRequestMethod(), new String(body, StandardCharsets.UTF_8), h.getFirst("Content-Type"),
                    h.getFirst("Authorization"), h.getFirst("Cookie"), h.getFirst("X-Custom"), h.getFirst("Forwarded")));
            Matcher m = CALL.matcher(path);
            if (!m.matches()) {
                exchange.sendResponseHeaders(404, -1);
            } else if (m.group(4).equals("start")) {
                // -x<method><status>: to another origin, the same server by the name localhost
                String base = !m.group(2).matches(".*-x[a-z]+\\d{3}") ? base()
                        : targetBase != null ? targetBase : base().replace("127.0.0.1", "localhost");
                exchange.getResponseHeaders().set("Location", base + m.group(1) + m.group(2) + "/target");
                exchange.sendResponseHeaders(Integer.parseInt(m.group(3)), -1);
            } else {
                String ok = "ok:" + m.group(2);
                String contentType = "text/plain; charset=utf-8";
                if (path.contains("/jaxws")) {
                    ok = "<S:Envelope xmlns:S=\"http://schemas.xmlsoap.org/soap/envelope/\"><S:Body>"
                            + "<echoResponse xmlns=\"urn:redirect-guard:it\">" + ok + "</echoResponse></S:Body></S:Envelope>";
                    contentType = "text/xml; charset=utf-8";
                }
                byte[] reply = ok.getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", contentType);
                if (exchange.getRequestMethod().equals("HEAD")) {
                    exchange.sendResponseHeaders(200, -1);
                } else {
                    exchange.sendResponseHeaders(200, reply.length);
                    exchange.getResponseBody().write(reply);
                }
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
