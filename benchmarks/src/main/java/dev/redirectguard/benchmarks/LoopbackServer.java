package dev.redirectguard.benchmarks;

import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/** The server the request benchmarks talk to: /ok answers 200, /r307 and /r303 redirect to /ok. */
final class LoopbackServer implements AutoCloseable {
    private final HttpServer server;

    LoopbackServer() throws IOException {
        // Without it, a response written as headers then body waits out the client's delayed ACK
        // (Nagle's algorithm): 40 ms a request, which would measure the network stack, not the agent.
        System.setProperty("sun.net.httpserver.nodelay", "true");
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
        server.createContext("/", exchange -> {
            try (InputStream in = exchange.getRequestBody()) {
                in.readAllBytes();
            }
            String path = exchange.getRequestURI().getPath();
            if (path.startsWith("/r")) {
                exchange.getResponseHeaders().add("Location", "/ok");
                exchange.sendResponseHeaders(Integer.parseInt(path.substring(2)), -1);
            } else {
                byte[] body = "ok".getBytes(StandardCharsets.US_ASCII);
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
            exchange.close();
        });
        server.start();
    }

    String url(String path) {
        return "http://127.0.0.1:" + server.getAddress().getPort() + path;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
