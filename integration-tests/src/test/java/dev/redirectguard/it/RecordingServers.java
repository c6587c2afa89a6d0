package dev.redirectguard.it;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.redirectguard.it.child.ChildCase;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
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
 * Four origins on 127.0.0.1 in the test JVM: two over http, two over https. Each records every
 * request it gets (read fully first, chunked or not) under its path; {@code /c/<id>/start}
 * answers with the case's redirect status and {@code /c/<id>/target} with 200 {@code ok:<id>}.
 */
final class RecordingServers implements AutoCloseable {
    enum Origin {
        A("http"), B("http"), SECURE_A("https"), SECURE_B("https");

        final String scheme;

        Origin(String scheme) {
            this.scheme = scheme;
        }

        static Origin of(String scheme, boolean first) {
            boolean secure = scheme.equals("https");
            return first ? (secure ? SECURE_A : A) : (secure ? SECURE_B : B);
        }

        static Origin startOf(RedirectCase c) {
            return of(c.scheme(), true);
        }

        static Origin targetOf(RedirectCase c) {
            return of(c.scheme(), c.sameOrigin());
        }
    }

    private static final Pattern CASE_PATH = Pattern.compile("/c/([^/]+)/(start|target)");

    private final Map<Origin, HttpServer> servers = new EnumMap<>(Origin.class);
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "recording-server");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, RedirectCase> casesById = new ConcurrentHashMap<>();
    private final Map<String, List<RecordedRequest>> receivedByPath = new ConcurrentHashMap<>();

    static RecordingServers start(SSLContext tls) throws IOException {
        RecordingServers s = new RecordingServers();
        for (Origin origin : Origin.values()) {
            InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            HttpServer server;
            if (origin.scheme.equals("https")) {
                HttpsServer https = HttpsServer.create(any, 0);
                https.setHttpsConfigurator(new HttpsConfigurator(tls));
                server = https;
            } else {
                server = HttpServer.create(any, 0);
            }
            server.createContext("/", exchange -> s.handle(origin, exchange));
            server.setExecutor(s.executor);
            server.start();
            s.servers.put(origin, server);
        }
        return s;
    }

    String baseUrl(Origin origin) {
        return origin.scheme + "://127.0.0.1:" + servers.get(origin).getAddress().getPort();
    }

    String startUrl(RedirectCase c) {
        return baseUrl(Origin.startOf(c)) + c.startPath();
    }

    String targetUrl(RedirectCase c) {
        return baseUrl(Origin.targetOf(c)) + c.targetPath();
    }

    /** Forgets what earlier runs received and serves these cases. */
    void prepare(List<RedirectCase> cases) {
        receivedByPath.clear();
        casesById.clear();
        cases.forEach(c -> casesById.put(c.id(), c));
    }

    List<RecordedRequest> received(String path) {
        return List.copyOf(receivedByPath.getOrDefault(path, List.of()));
    }

    /** Paths that were requested but belong to no case: a sign of a broken client or harness. */
    List<String> unknownPaths() {
        return receivedByPath.keySet().stream()
                .filter(p -> {
                    Matcher m = CASE_PATH.matcher(p);
                    return !m.matches() || !casesById.containsKey(m.group(1));
                })
                .sorted().toList();
    }

    private void handle(Origin origin, HttpExchange exchange) {
        try {
            byte[] body = exchange.getRequestBody().readAllBytes();
            Headers h = exchange.getRequestHeaders();
            String path = exchange.getRequestURI().getPath();
            receivedByPath.computeIfAbsent(path, p -> new CopyOnWriteArrayList<>()).add(new RecordedRequest(
                    origin, exchange.getRequestMethod(), new String(body, StandardCharsets.ISO_8859_1),
                    header(h, "Content-Type"), header(h, "Authorization"), header(h, "Cookie"), header(h, "X-Custom")));

            Matcher m = CASE_PATH.matcher(path);
            RedirectCase c = m.matches() ? casesById.get(m.group(1)) : null;
            if (c == null) {
                exchange.sendResponseHeaders(404, -1);
            } else if (m.group(2).equals("start")) {
                exchange.getResponseHeaders().set("Location", targetUrl(c));
                exchange.sendResponseHeaders(c.status(), -1); // -1: Content-Length 0
            } else if (exchange.getRequestMethod().equals("HEAD")) {
                exchange.sendResponseHeaders(200, -1);
            } else {
                byte[] ok = ChildCase.targetBody(c.id()).getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
                exchange.sendResponseHeaders(200, ok.length);
                exchange.getResponseBody().write(ok);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            exchange.close();
        }
    }

    /** All values of a header joined as they would be on one line, or null when absent. */
    private static String header(Headers h, String name) {
        List<String> values = h.get(name);
        return values == null ? null : String.join(", ", values);
    }

    @Override
    public void close() {
        servers.values().forEach(s -> s.stop(0));
        executor.shutdownNow();
    }
}
