package dev.redirectguard.cli;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;

/**
 * The doctor's servers, in its own JVM, bound to 127.0.0.1 only: http on two ports and, once
 * {@link #startTls} ran, https on a third. The origins: http://127.0.0.1:P, http://localhost:P
 * (the same server under another host name), http://127.0.0.1:P2, https://127.0.0.1:P3.
 * {@code /d/<run>/<case>/start} answers the case's 3xx with an absolute Location,
 * {@code /d/<run>/<case>/target} 200; every request is recorded under its path.
 */
final class DoctorServers implements AutoCloseable {
    private static final Pattern PATH = Pattern.compile("/d/([a-z]+)/([a-z0-9]+)/(start|target)");

    private final Map<String, DoctorCase> cases = new ConcurrentHashMap<String, DoctorCase>();
    private final Map<String, List<Observation.Request>> received =
            new ConcurrentHashMap<String, List<Observation.Request>>();
    private final List<String> unknownPaths = new CopyOnWriteArrayList<String>();
    private final ExecutorService executor = Executors.newCachedThreadPool(new ThreadFactory() {
        @Override
        public Thread newThread(Runnable r) {
            Thread t = new Thread(r, "redirect-guard-doctor-server");
            t.setDaemon(true);
            return t;
        }
    });
    private final InetAddress loopback;
    private final String otherHost;
    private final HttpServer first;
    private final HttpServer second;
    private volatile HttpsServer secure;

    private DoctorServers(List<DoctorCase> all) throws IOException {
        for (DoctorCase c : all) {
            cases.put(c.id, c);
        }
        loopback = InetAddress.getByAddress("127.0.0.1", new byte[] {127, 0, 0, 1});
        otherHost = resolvesToLoopback("localhost") ? "localhost" : null;
        first = HttpServer.create(new InetSocketAddress(loopback, 0), 50);
        second = HttpServer.create(new InetSocketAddress(loopback, 0), 50);
        for (HttpServer s : new HttpServer[] {first, second}) {
            serve(s);
        }
    }

    static DoctorServers start(List<DoctorCase> all) throws IOException {
        return new DoctorServers(all);
    }

    /** Serves https too, on its own port, with this context. */
    void startTls(SSLContext tls) throws IOException {
        HttpsServer s = HttpsServer.create(new InetSocketAddress(loopback, 0), 50);
        s.setHttpsConfigurator(new HttpsConfigurator(tls));
        serve(s);
        secure = s;
    }

    boolean tls() {
        return secure != null;
    }

    /**
     * The name of the "other host" origin: localhost when it resolves to 127.0.0.1 here, else null
     * (and those cases then go to the second port, which {@link #targetUrl} says).
     */
    String otherHost() {
        return otherHost;
    }

    /** The URL a case starts at; the query carries a value no log may show. */
    String startUrl(String run, DoctorCase c, String query) {
        String origin = c.target == DoctorCase.Target.HTTPS_TO_HTTP
                ? "https://127.0.0.1:" + secure.getAddress().getPort() : "http://127.0.0.1:" + port(first);
        return origin + "/d/" + run + "/" + c.id + "/start?q=" + query;
    }

    String targetUrl(String run, DoctorCase c) {
        String origin;
        switch (c.target) {
            case OTHER_HOST:
                origin = otherHost != null ? "http://" + otherHost + ":" + port(first) : "http://127.0.0.1:" + port(second);
                break;
            case OTHER_PORT:
                origin = "http://127.0.0.1:" + port(second);
                break;
            default:
                origin = "http://127.0.0.1:" + port(first);
        }
        return origin + "/d/" + run + "/" + c.id + "/target";
    }

    List<Observation.Request> received(String run, DoctorCase c, String end) {
        List<Observation.Request> r = received.get("/d/" + run + "/" + c.id + "/" + end);
        return r == null ? Collections.<Observation.Request>emptyList() : new ArrayList<Observation.Request>(r);
    }

    /** Requests for a path of no case: a broken client or harness. */
    List<String> unknownPaths() {
        return new ArrayList<String>(unknownPaths);
    }

    private void serve(HttpServer server) {
        server.createContext("/", new HttpHandler() {
            @Override
            public void handle(HttpExchange exchange) throws IOException {
                answer(exchange);
            }
        });
        server.setExecutor(executor);
        server.start();
    }

    private void answer(HttpExchange exchange) throws IOException {
        try {
            String path = exchange.getRequestURI().getPath();
            Headers h = exchange.getRequestHeaders();
            String method = exchange.getRequestMethod();
            Observation.Request request = new Observation.Request(method, h.getFirst("Host"),
                    new String(readAll(exchange.getRequestBody()), "ISO-8859-1"), joined(h, "Content-Type"),
                    joined(h, "Authorization"), joined(h, "Cookie"), joined(h, "X-Custom"));
            Matcher m = PATH.matcher(path);
            DoctorCase c = m.matches() ? cases.get(m.group(2)) : null;
            if (c == null) {
                unknownPaths.add(method + " " + path);
                exchange.sendResponseHeaders(404, -1);
                return;
            }
            List<Observation.Request> list = received.get(path);
            if (list == null) {
                received.putIfAbsent(path, new CopyOnWriteArrayList<Observation.Request>());
                list = received.get(path);
            }
            list.add(request);
            if (m.group(3).equals("start")) {
                exchange.getResponseHeaders().set("Location", targetUrl(m.group(1), c));
                exchange.sendResponseHeaders(c.status, -1);
            } else if (method.equals("HEAD")) {
                exchange.sendResponseHeaders(200, -1);
            } else {
                byte[] body = "ok".getBytes("US-ASCII");
                exchange.getResponseHeaders().set("Content-Type", "text/plain");
                exchange.sendResponseHeaders(200, body.length);
                exchange.getResponseBody().write(body);
            }
        } finally {
            exchange.close();
        }
    }

    /** All values of a header as one line would carry them, or null when absent. */
    private static String joined(Headers h, String name) {
        List<String> values = h.get(name);
        return values == null || values.isEmpty() ? null : DoctorRule.join(values, ", ");
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        for (int n; (n = in.read(chunk)) != -1; ) {
            b.write(chunk, 0, n);
        }
        return b.toByteArray();
    }

    private static int port(HttpServer s) {
        return s.getAddress().getPort();
    }

    private static boolean resolvesToLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress()
                    && InetAddress.getByName(host).getHostAddress().equals("127.0.0.1");
        } catch (IOException e) {
            return false;
        }
    }

    /** Stops the servers without waiting for idle connections (the children have exited). */
    @Override
    public void close() {
        first.stop(0);
        second.stop(0);
        if (secure != null) {
            secure.stop(0);
        }
        executor.shutdownNow();
    }
}
