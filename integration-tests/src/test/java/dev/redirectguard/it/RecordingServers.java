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
import java.util.function.Function;
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
    /** Base URLs of origins that another transport serves through {@link #record} (see {@link #recorder()}). */
    private final Map<Origin, String> attached = new EnumMap<>(Origin.class);
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

    /**
     * The recording model without servers of its own: another transport (the HTTP/2 servers) feeds
     * it through {@link #record} and names its ports with {@link #attach}, so the recordings, the
     * answers and so Oracle and RunChecks are the same as over the JDK's HTTP/1.1 servers.
     */
    static RecordingServers recorder() {
        return new RecordingServers();
    }

    /** Says that another transport serves {@code origin} at {@code baseUrl} (scheme://127.0.0.1:port). */
    void attach(Origin origin, String baseUrl) {
        attached.put(origin, baseUrl);
    }

    String baseUrl(Origin origin) {
        String other = attached.get(origin);
        if (other != null) {
            return other;
        }
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

    /** How to answer one request: status, Location (null: none), Content-Type (null: none) and body. */
    record Reply(int status, String location, String contentType, byte[] body) {
    }

    /**
     * Records a request (its body read fully) under its path and says how to answer it: the case's
     * redirect status and Location for {@code /c/<id>/start}, 200 {@code ok:<id>} for its target
     * (no body for HEAD), 404 for a path of no case.
     *
     * @param headers all values of a request header by name, ignoring case; null or empty when absent
     */
    Reply record(Origin origin, String method, String path, byte[] body, Function<String, List<String>> headers) {
        receivedByPath.computeIfAbsent(path, p -> new CopyOnWriteArrayList<>()).add(new RecordedRequest(
                origin, method, new String(body, StandardCharsets.ISO_8859_1),
                header(headers, "Content-Type"), header(headers, "Authorization"), header(headers, "Cookie"),
                header(headers, "X-Custom")));

        Matcher m = CASE_PATH.matcher(path);
        RedirectCase c = m.matches() ? casesById.get(m.group(1)) : null;
        if (c == null) {
            return new Reply(404, null, null, new byte[0]);
        } else if (m.group(2).equals("start")) {
            return new Reply(c.status(), targetUrl(c), null, new byte[0]);
        } else if (method.equals("HEAD")) {
            return new Reply(200, null, null, new byte[0]);
        } else {
            return new Reply(200, null, "text/plain; charset=utf-8",
                    ChildCase.targetBody(c.id()).getBytes(StandardCharsets.UTF_8));
        }
    }

    private void handle(Origin origin, HttpExchange exchange) {
        try {
            Headers h = exchange.getRequestHeaders();
            Reply reply = record(origin, exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
                    exchange.getRequestBody().readAllBytes(), h::get);
            if (reply.location() != null) {
                exchange.getResponseHeaders().set("Location", reply.location());
            }
            if (reply.contentType() != null) {
                exchange.getResponseHeaders().set("Content-Type", reply.contentType());
            }
            // -1: Content-Length 0 (the redirects, HEAD and 404 have no body)
            exchange.sendResponseHeaders(reply.status(), reply.body().length == 0 ? -1 : reply.body().length);
            if (reply.body().length > 0) {
                exchange.getResponseBody().write(reply.body());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            exchange.close();
        }
    }

    /** All values of a header joined as they would be on one line, or null when absent. */
    private static String header(Function<String, List<String>> headers, String name) {
        List<String> values = headers.apply(name);
        return values == null || values.isEmpty() ? null : String.join(", ", values);
    }

    @Override
    public void close() {
        servers.values().forEach(s -> s.stop(0));
        executor.shutdownNow();
    }
}
