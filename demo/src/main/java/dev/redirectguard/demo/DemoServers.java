package dev.redirectguard.demo;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

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

/**
 * Origin A and origin B on two loopback ports. Each scenario's start path on A answers with its
 * redirect; its target path answers 200 and records what arrived. Anything else is a 404, noted
 * as unexpected: a sign that the client went somewhere no redirect pointed to.
 */
final class DemoServers implements AutoCloseable {
    private static final byte[] OK = "{\"status\":\"ok\"}".getBytes(StandardCharsets.UTF_8);

    private final List<Scenario> scenarios;
    private final Map<Origin, HttpServer> servers = new EnumMap<>(Origin.class);
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "demo-server");
        t.setDaemon(true);
        return t;
    });
    private final Map<Scenario, List<Arrival>> arrivals = new ConcurrentHashMap<>();
    private final List<String> unexpected = new CopyOnWriteArrayList<>();

    private DemoServers(List<Scenario> scenarios) {
        this.scenarios = scenarios;
    }

    static DemoServers start(List<Scenario> scenarios) throws IOException {
        DemoServers s = new DemoServers(scenarios);
        for (Origin origin : Origin.values()) {
            HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.createContext("/", exchange -> s.handle(origin, exchange));
            server.setExecutor(s.executor);
            server.start();
            s.servers.put(origin, server);
        }
        return s;
    }

    String baseUrl(Origin origin) {
        return "http://127.0.0.1:" + servers.get(origin).getAddress().getPort();
    }

    /** Forgets what an earlier run brought. */
    void reset() {
        arrivals.clear();
        unexpected.clear();
    }

    List<Arrival> arrivals(Scenario scenario) {
        return List.copyOf(arrivals.getOrDefault(scenario, List.of()));
    }

    /** Requests that matched no scenario, as "B GET /path". */
    List<String> unexpected() {
        return List.copyOf(unexpected);
    }

    private void handle(Origin origin, HttpExchange exchange) {
        try {
            byte[] body = exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            for (Scenario s : scenarios) {
                if (origin == Origin.A && path.equals(s.startPath())) {
                    exchange.getResponseHeaders().set("Location", s.location(baseUrl(s.target())));
                    exchange.sendResponseHeaders(s.status(), -1);
                    return;
                }
                if (origin == s.target() && path.equals(s.targetPath())) {
                    arrivals.computeIfAbsent(s, k -> new CopyOnWriteArrayList<>()).add(arrival(exchange, body));
                    exchange.getResponseHeaders().set("Content-Type", "application/json");
                    exchange.sendResponseHeaders(200, OK.length);
                    exchange.getResponseBody().write(OK);
                    return;
                }
            }
            unexpected.add(origin + " " + exchange.getRequestMethod() + " " + path);
            exchange.sendResponseHeaders(404, -1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            exchange.close();
        }
    }

    private static Arrival arrival(HttpExchange exchange, byte[] body) {
        var headers = exchange.getRequestHeaders();
        return new Arrival(exchange.getRequestMethod(), new String(body, StandardCharsets.UTF_8),
                headers.getFirst("Content-Type"), headers.containsKey("Authorization"), headers.containsKey("Cookie"));
    }

    @Override
    public void close() {
        servers.values().forEach(s -> s.stop(0));
        executor.shutdownNow();
    }
}
