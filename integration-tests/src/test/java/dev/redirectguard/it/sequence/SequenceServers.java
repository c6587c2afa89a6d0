package dev.redirectguard.it.sequence;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;

import dev.redirectguard.it.child.sequence.SeqPlan;

/**
 * The recording servers of the sequence tests, on loopback in the test JVM. A minimal HTTP/1.1
 * server on plain sockets (the JDK's HttpServer keeps no header order and cannot hang, cut off or
 * reset an answer on cue): endpoints {@code A} (origins A and A2), {@code B}, {@code S} (TLS),
 * {@code T} (on 127.0.0.2, for the timeout calls), and two proxies that answer for any origin
 * themselves, {@code P} (open) and {@code PA} (407 until Basic). Keep-alive as the client asks.
 * A control socket lets a child wait until a path has been received ({@code AWAIT <path>
 * <count>}): the child waits for that event, never for a time.
 */
public final class SequenceServers implements AutoCloseable {
    static final String SERVER_BASIC = basic(SeqPlan.SERVER_USER, SeqPlan.SERVER_PASSWORD);
    static final String PROXY_BASIC = basic(SeqPlan.PROXY_USER, SeqPlan.PROXY_PASSWORD);
    /** A failure bound only: a child that waits this long for a path has failed anyway. */
    private static final long AWAIT_BOUND_MILLIS = 60000;
    private static final int TRUNCATED_LENGTH = 32;

    private final Map<String, ServerSocket> endpoints = new LinkedHashMap<>();
    private final ServerSocket control;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "sequence-server");
        t.setDaemon(true);
        return t;
    });
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger connections = new AtomicInteger();
    private volatile Map<String, PathScript> script = Map.of();
    private volatile Origins origins;
    /** Guarded by this. */
    private final List<Recorded> records = new ArrayList<>();
    private int received;
    private volatile boolean closed;

    private SequenceServers(SSLContext tls) throws IOException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        for (String name : List.of("A", "B", "P", "PA")) {
            endpoints.put(name, new ServerSocket(0, 50, loopback));
        }
        // Another loopback host (Linux routes all of 127/8 there): origin T shares no cookie or
        // credential with any other origin, so a call on it meets no other call's state.
        endpoints.put("T", new ServerSocket(0, 50, InetAddress.getByName("127.0.0.2")));
        endpoints.put("S", tls.getServerSocketFactory().createServerSocket(0, 50, loopback));
        control = new ServerSocket(0, 50, loopback);
    }

    public static SequenceServers start(SSLContext tls) throws IOException {
        SequenceServers s = new SequenceServers(tls);
        int a = s.endpoints.get("A").getLocalPort();
        s.origins = new Origins(Map.of("A", "http://127.0.0.1:" + a, "A2", "http://localhost:" + a,
                "B", "http://127.0.0.1:" + s.endpoints.get("B").getLocalPort(),
                "S", "https://127.0.0.1:" + s.endpoints.get("S").getLocalPort(),
                "T", "http://127.0.0.2:" + s.endpoints.get("T").getLocalPort()));
        s.endpoints.forEach((name, socket) -> s.threads.execute(() -> s.accept(name, socket)));
        s.threads.execute(s::acceptControl);
        return s;
    }

    public Origins origins() {
        return origins;
    }

    public String controlAddress() {
        return "127.0.0.1:" + control.getLocalPort();
    }

    /** Proxy name to host:port. */
    public Map<String, String> proxies() {
        return Map.of("P", "127.0.0.1:" + endpoints.get("P").getLocalPort(),
                "PA", "127.0.0.1:" + endpoints.get("PA").getLocalPort());
    }

    /** Every port a message may name: they stay the same for all runs of this JVM. */
    public Set<Integer> ports() {
        Set<Integer> ports = new java.util.HashSet<>();
        endpoints.values().forEach(s -> ports.add(s.getLocalPort()));
        ports.add(control.getLocalPort());
        return ports;
    }

    /** Forgets the previous run (its recordings, any connection still open) and serves this script. */
    public void prepare(Map<String, PathScript> paths) {
        for (Socket s : open) {
            closeQuietly(s);
        }
        synchronized (this) {
            records.clear();
            received = 0;
            script = Map.copyOf(paths);
        }
    }

    public synchronized List<Recorded> records() {
        return List.copyOf(records);
    }

    private void accept(String endpoint, ServerSocket socket) {
        while (!closed) {
            try {
                Socket s = socket.accept();
                s.setTcpNoDelay(true);
                open.add(s);
                int id = connections.incrementAndGet();
                threads.execute(() -> serve(endpoint, id, s));
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("sequence server " + endpoint + ": accept failed: " + e);
                }
            }
        }
    }

    private void serve(String endpoint, int connection, Socket socket) {
        try (socket) {
            socket.setSoTimeout((int) AWAIT_BOUND_MILLIS * 2);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            while (true) {
                RawRequest r = RawRequest.read(in);
                if (r == null) {
                    return;
                }
                boolean keepAlive = !r.headerValues("Connection").stream().anyMatch(v -> v.equalsIgnoreCase("close"));
                Reply reply = answer(endpoint, r);
                record(endpoint, connection, r, reply);
                switch (reply.status) {
                    case Recorded.HANG -> {
                        // Never answer: wait for the client to give up and close (or the next prepare()).
                        while (in.read() != -1) {
                            // discard
                        }
                        return;
                    }
                    case Recorded.DROPPED -> {
                        // A reset (RST), not a close: the connection dies without a byte of answer.
                        socket.setSoLinger(true, 0);
                        return;
                    }
                    case Recorded.TRUNCATED -> {
                        if (r.method.equals("HEAD")) {
                            // A HEAD answer has no body to cut: the headers, then the connection closes
                            // (else the client keeps it, and its next request meets the cut body's end).
                            out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: "
                                    + TRUNCATED_LENGTH + "\r\nConnection: close\r\n\r\n")
                                    .getBytes(StandardCharsets.ISO_8859_1));
                            out.flush();
                            return;
                        }
                        out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + TRUNCATED_LENGTH
                                + "\r\n\r\npartx").getBytes(StandardCharsets.ISO_8859_1));
                        out.flush();
                        socket.shutdownOutput();
                        while (in.read() != -1) {
                            // the client closes once it has seen the short body
                        }
                        return;
                    }
                    default -> {
                        out.write(reply.bytes(r.method.equals("HEAD")));
                        out.flush();
                    }
                }
                if (!keepAlive) {
                    return;
                }
            }
        } catch (SocketException | EOFException e) {
            // the client (or prepare/close) closed the connection
        } catch (IOException e) {
            if (!closed) {
                System.err.println("sequence server " + endpoint + ": " + e);
            }
        } finally {
            open.remove(socket);
        }
    }

    private record Reply(int status, String reason, List<String> headers, byte[] body) {
        byte[] bytes(boolean head) {
            StringBuilder sb = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason).append("\r\n");
            headers.forEach(h -> sb.append(h).append("\r\n"));
            sb.append("Content-Length: ").append(head ? 0 : body.length).append("\r\n\r\n");
            byte[] head0 = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
            if (head || body.length == 0) {
                return head0;
            }
            byte[] all = new byte[head0.length + body.length];
            System.arraycopy(head0, 0, all, 0, head0.length);
            System.arraycopy(body, 0, all, head0.length, body.length);
            return all;
        }

        String location() {
            return headers.stream().filter(h -> h.startsWith("Location: ")).map(h -> h.substring(10)).findFirst().orElse(null);
        }
    }

    private Reply answer(String endpoint, RawRequest r) {
        boolean proxy = endpoint.startsWith("P");
        if (endpoint.equals("PA") && !r.headerValues("Proxy-Authorization").contains(PROXY_BASIC)) {
            return text(407, "Proxy Authentication Required", "proxy auth",
                    "Proxy-Authenticate: Basic realm=\"" + SeqPlan.PROXY_REALM + "\"");
        }
        PathScript p = script.get(r.path());
        if (p == null) {
            return text(404, "Not Found", "no such path");
        }
        if (p.protectedPath() && !r.headerValues("Authorization").contains(SERVER_BASIC)) {
            return text(401, "Unauthorized", "auth", "WWW-Authenticate: Basic realm=\"" + SeqPlan.REALM + "\"");
        }
        List<String> extra = new ArrayList<>();
        if (p.setCookie() != null) {
            extra.add("Set-Cookie: " + p.setCookie() + "; Path=/");
        }
        switch (p.kind()) {
            case REDIRECT -> {
                if (p.status() == 305 && r.absoluteForm() && !proxy) {
                    // HttpURLConnection asks the 305's Location, as a proxy, for the same URL again.
                    return text(200, "OK", "ok:" + p.path(), extra.toArray(String[]::new));
                }
                if (p.hasLocation()) {
                    extra.add(0, "Location: " + origins.url(p.locationOrigin(), p.locationPath()));
                }
                return new Reply(p.status(), "Redirect", extra, new byte[0]);
            }
            case LOOP -> {
                extra.add(0, "Location: " + origins.url(p.origin(), p.path()));
                return new Reply(303, "See Other", extra, new byte[0]);
            }
            case OK -> {
                extra.add(0, "Content-Type: text/plain; charset=utf-8");
                return new Reply(200, "OK", extra, ("ok:" + p.path()).getBytes(StandardCharsets.UTF_8));
            }
            case NOT_FOUND -> {
                return text(404, "Not Found", "nf:" + p.path());
            }
            case HANG -> {
                return new Reply(Recorded.HANG, "", List.of(), new byte[0]);
            }
            case TRUNCATE -> {
                return new Reply(Recorded.TRUNCATED, "", List.of(), new byte[0]);
            }
            case DROP -> {
                return new Reply(Recorded.DROPPED, "", List.of(), new byte[0]);
            }
            default -> throw new IllegalStateException(p.kind().toString());
        }
    }

    private static Reply text(int status, String reason, String body, String... headers) {
        List<String> h = new ArrayList<>(List.of(headers));
        h.add("Content-Type: text/plain; charset=utf-8");
        return new Reply(status, reason, h, body.getBytes(StandardCharsets.UTF_8));
    }

    private synchronized void record(String endpoint, int connection, RawRequest r, Reply reply) {
        String origin;
        if (r.absoluteForm()) {
            URI u = URI.create(r.target);
            origin = u.getScheme() + "://" + u.getRawAuthority();
        } else {
            String host = r.headerValues("Host").stream().findFirst().orElse("?");
            origin = (endpoint.equals("S") ? "https" : "http") + "://" + host;
        }
        records.add(new Recorded(++received, endpoint, connection, r.method, r.target, origin, r.path(),
                List.copyOf(r.headers), r.body, reply.status, reply.location()));
        notifyAll();
    }

    private void acceptControl() {
        while (!closed) {
            try {
                Socket s = control.accept();
                threads.execute(() -> awaitCommand(s));
            } catch (IOException e) {
                if (!closed) {
                    System.err.println("sequence control: " + e);
                }
            }
        }
    }

    private void awaitCommand(Socket s) {
        try (s) {
            String line = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8)).readLine();
            String[] f = line == null ? new String[0] : line.split(" ");
            String answer;
            if (f.length != 3 || !f[0].equals("AWAIT")) {
                answer = "BAD " + line;
            } else {
                answer = awaitReceived(f[1], Integer.parseInt(f[2])) ? "OK" : "NOT RECEIVED";
            }
            s.getOutputStream().write((answer + "\n").getBytes(StandardCharsets.UTF_8));
        } catch (IOException | InterruptedException e) {
            if (!closed) {
                System.err.println("sequence control: " + e);
            }
        }
    }

    private synchronized boolean awaitReceived(String path, int count) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(AWAIT_BOUND_MILLIS);
        // Only a request the servers hold unanswered counts: one answered 407 by the proxy on its way does not.
        while (records.stream().filter(r -> r.path().equals(path) && r.answer() == Recorded.HANG).count() < count) {
            long left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime());
            if (left <= 0) {
                return false;
            }
            wait(left);
        }
        return true;
    }

    @Override
    public void close() {
        closed = true;
        endpoints.values().forEach(SequenceServers::closeQuietly);
        closeQuietly(control);
        open.forEach(SequenceServers::closeQuietly);
        threads.shutdownNow();
    }

    private static void closeQuietly(java.io.Closeable c) {
        try {
            c.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }

    static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.ISO_8859_1));
    }

    /** One parsed HTTP/1.1 request. */
    private static final class RawRequest {
        String method;
        String target;
        final List<Recorded.Header> headers = new ArrayList<>();
        byte[] body;

        boolean absoluteForm() {
            return target.startsWith("http://") || target.startsWith("https://");
        }

        String path() {
            String t = target;
            if (absoluteForm()) {
                t = URI.create(t).getRawPath();
            }
            int q = t.indexOf('?');
            return q >= 0 ? t.substring(0, q) : t;
        }

        List<String> headerValues(String name) {
            List<String> values = new ArrayList<>();
            for (Recorded.Header h : headers) {
                if (h.name().equalsIgnoreCase(name)) {
                    values.add(h.value());
                }
            }
            return values;
        }

        /** Null at a clean end of the stream before a request starts. */
        static RawRequest read(InputStream in) throws IOException {
            String requestLine = line(in, true);
            if (requestLine == null) {
                return null;
            }
            RawRequest r = new RawRequest();
            String[] parts = requestLine.split(" ");
            if (parts.length != 3) {
                throw new IOException("bad request line: " + requestLine);
            }
            r.method = parts[0];
            r.target = parts[1];
            for (String l; !(l = line(in, false)).isEmpty(); ) {
                int colon = l.indexOf(':');
                r.headers.add(new Recorded.Header(l.substring(0, colon), l.substring(colon + 1).trim()));
            }
            List<String> te = r.headerValues("Transfer-Encoding");
            List<String> cl = r.headerValues("Content-Length");
            if (!te.isEmpty() && te.get(0).equalsIgnoreCase("chunked")) {
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                while (true) {
                    String size = line(in, false);
                    int n = Integer.parseInt(size.split(";")[0].trim(), 16);
                    if (n == 0) {
                        while (!line(in, false).isEmpty()) {
                            // trailers: none expected
                        }
                        break;
                    }
                    body.write(in.readNBytes(n));
                    line(in, false);
                }
                r.body = body.toByteArray();
            } else if (!cl.isEmpty()) {
                int n = Integer.parseInt(cl.get(0));
                r.body = in.readNBytes(n);
                if (r.body.length != n) {
                    throw new EOFException("body ended after " + r.body.length + " of " + n + " bytes");
                }
            } else {
                r.body = new byte[0];
            }
            return r;
        }

        private static String line(InputStream in, boolean eofAllowed) throws IOException {
            ByteArrayOutputStream buf = new ByteArrayOutputStream();
            while (true) {
                int b = in.read();
                if (b == -1) {
                    if (eofAllowed && buf.size() == 0) {
                        return null;
                    }
                    throw new EOFException("connection closed in a request line");
                }
                if (b == '\n') {
                    byte[] bytes = buf.toByteArray();
                    int len = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                    return new String(bytes, 0, len, StandardCharsets.ISO_8859_1);
                }
                buf.write(b);
            }
        }
    }
}
