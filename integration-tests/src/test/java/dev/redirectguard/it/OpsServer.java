package dev.redirectguard.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One http origin on loopback for the operations tests. {@code /308} and {@code /303} redirect to
 * {@code /echo}, which answers 200 with {@code <method> ct=<Content-Type or none>}: what the
 * caller gets back shows how the hop was followed.
 */
final class OpsServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "ops-server");
        t.setDaemon(true);
        return t;
    });

    OpsServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(executor);
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            exchange.getRequestBody().readAllBytes();
            String path = exchange.getRequestURI().getPath();
            if (path.equals("/308") || path.equals("/303")) {
                exchange.getResponseHeaders().set("Location", url("/echo"));
                exchange.sendResponseHeaders(Integer.parseInt(path.substring(1)), -1);
                return;
            }
            String ct = exchange.getRequestHeaders().getFirst("Content-Type");
            byte[] body = (exchange.getRequestMethod() + " ct=" + (ct == null ? "none" : ct))
                    .getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
