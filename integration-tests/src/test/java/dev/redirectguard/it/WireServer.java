package dev.redirectguard.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An HTTP/1.1 origin on two loopback ports that records every request as its bytes arrived:
 * request line and header block exactly, body as sent (chunked framing included), so that two
 * runs can be compared byte for byte. One request per connection ({@code Connection: close}), so
 * that no client retries a request on a connection the server closed. It also takes the
 * absolute-form request target of a forward proxy ({@code GET http://api.billing.test:P/...}):
 * a child whose {@code http.proxyHost} is this server can call host names that no resolver knows.
 *
 * <ul>
 * <li>{@code /r/<status>/<tag>}: that status, {@code Location} on the same origin (the request's
 *     Host), path {@code /t/<tag>};</li>
 * <li>{@code /x/<status>/<tag>}: the same to another origin: the Host's {@code 127.0.0.1} and
 *     {@code localhost} swapped, same port;</li>
 * <li>{@code /t/<tag>}: 200 {@code <method> <tag>}.</li>
 * </ul>
 */
final class WireServer implements AutoCloseable {
    /** One request as it arrived on {@code port}. */
    record Request(int port, byte[] head, byte[] body) {
        String requestLine() {
            String h = new String(head, StandardCharsets.ISO_8859_1);
            return h.substring(0, h.indexOf("\r\n"));
        }

        String method() {
            return requestLine().split(" ")[0];
        }

        String path() {
            String target = requestLine().split(" ")[1];
            return target.startsWith("/") ? target : URI.create(target).getRawPath();
        }

        /** Header lines as sent, in order. */
        List<String> headerLines() {
            String h = new String(head, StandardCharsets.ISO_8859_1);
            List<String> lines = new ArrayList<>(List.of(h.split("\r\n")));
            return lines.subList(1, lines.size());
        }

        /** Lower-case name to values, in the order sent; for comparing header sets whatever their order. */
        TreeMap<String, List<String>> headers() {
            TreeMap<String, List<String>> map = new TreeMap<>();
            for (String line : headerLines()) {
                int colon = line.indexOf(':');
                map.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                        .add(line.substring(colon + 1).trim());
            }
            return map;
        }

        String header(String name) {
            List<String> v = headers().get(name.toLowerCase(Locale.ROOT));
            return v == null ? null : String.join(", ", v);
        }

        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }

        /** The request as text, for failure messages. */
        String describe() {
            return "port " + port + ":\n  " + String.join("\n  ", requestLineAndHeaders()) + "\n  body ("
                    + body.length + " bytes): " + bodyText();
        }

        private List<String> requestLineAndHeaders() {
            List<String> all = new ArrayList<>();
            all.add(requestLine());
            all.addAll(headerLines());
            return all;
        }

        boolean sameBytes(Request other) {
            return port == other.port && java.util.Arrays.equals(head, other.head)
                    && java.util.Arrays.equals(body, other.body);
        }
    }

    private final ServerSocket first;
    private final ServerSocket second;
    private final ExecutorService executor = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "wire-server");
        t.setDaemon(true);
        return t;
    });
    private final List<Request> received = new ArrayList<>();

    WireServer() throws IOException {
        first = listen();
        second = listen();
        accept(first);
        accept(second);
    }

    private static ServerSocket listen() throws IOException {
        ServerSocket s = new ServerSocket();
        s.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 50);
        return s;
    }

    int port1() {
        return first.getLocalPort();
    }

    int port2() {
        return second.getLocalPort();
    }

    /** Where the next request will be recorded; see {@link #since}. */
    synchronized int mark() {
        return received.size();
    }

    /** The requests recorded since {@code mark}, in the order they arrived. */
    synchronized List<Request> since(int mark) {
        return List.copyOf(received.subList(mark, received.size()));
    }

    private void accept(ServerSocket socket) {
        executor.execute(() -> {
            while (!socket.isClosed()) {
                try {
                    Socket s = socket.accept();
                    executor.execute(() -> serve(s, socket.getLocalPort()));
                } catch (IOException e) {
                    return; // closed
                }
            }
        });
    }

    private void serve(Socket socket, int port) {
        try (socket) {
            socket.setSoTimeout(60_000);
            InputStream in = socket.getInputStream();
            byte[] head = readHead(in);
            if (head == null) {
                return; // connection opened and closed without a request
            }
            Request headOnly = new Request(port, head, new byte[0]);
            byte[] body = readBody(in, headOnly);
            Request request = new Request(port, head, body);
            // Recorded before the answer: once the client has its response, the request is here.
            synchronized (this) {
                received.add(request);
            }
            respond(socket.getOutputStream(), request);
        } catch (IOException e) {
            // the client went away; what arrived is recorded
        }
    }

    private static byte[] readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        byte[] end = {'\r', '\n', '\r', '\n'};
        for (int b; (b = in.read()) >= 0; ) {
            head.write(b);
            matched = b == end[matched] ? matched + 1 : b == '\r' ? 1 : 0;
            if (matched == 4) {
                byte[] all = head.toByteArray();
                return java.util.Arrays.copyOf(all, all.length - 4); // without the blank line
            }
        }
        return head.size() == 0 ? null : head.toByteArray();
    }

    /** The body as sent: Content-Length bytes, or the whole chunked framing. */
    private static byte[] readBody(InputStream in, Request head) throws IOException {
        String length = head.header("Content-Length");
        String coding = head.header("Transfer-Encoding");
        if (coding != null && coding.toLowerCase(Locale.ROOT).contains("chunked")) {
            ByteArrayOutputStream raw = new ByteArrayOutputStream();
            while (true) {
                String sizeLine = readLine(in, raw);
                int size = Integer.parseInt(sizeLine.split(";")[0].trim(), 16);
                if (size == 0) {
                    while (!readLine(in, raw).isEmpty()) {
                        // trailers
                    }
                    return raw.toByteArray();
                }
                raw.write(in.readNBytes(size + 2));
            }
        }
        return length == null ? new byte[0] : in.readNBytes(Integer.parseInt(length.trim()));
    }

    private static String readLine(InputStream in, ByteArrayOutputStream raw) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b; (b = in.read()) >= 0; ) {
            raw.write(b);
            if (b == '\n') {
                break;
            }
            if (b != '\r') {
                line.append((char) b);
            }
        }
        return line.toString();
    }

    private static void respond(OutputStream out, Request request) throws IOException {
        String path = request.path();
        String[] p = path.split("/");
        String host = request.header("Host");
        String response;
        byte[] body = new byte[0];
        if (p.length == 4 && (p[1].equals("r") || p[1].equals("x")) && p[2].matches("30[12378]")) {
            String to = p[1].equals("r") ? host
                    : host.startsWith("127.0.0.1") ? host.replace("127.0.0.1", "localhost")
                    : host.replace("localhost", "127.0.0.1");
            response = "HTTP/1.1 " + p[2] + " Redirect\r\nLocation: http://" + to + "/t/" + p[3] + "\r\n";
        } else if (p.length == 3 && p[1].equals("t")) {
            body = (request.method() + " " + p[2]).getBytes(StandardCharsets.UTF_8);
            response = "HTTP/1.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n";
        } else {
            response = "HTTP/1.1 404 Not Found\r\n";
        }
        if (request.method().equals("HEAD")) {
            body = new byte[0];
        }
        out.write((response + "Content-Length: " + body.length + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
    }

    @Override
    public void close() throws IOException {
        first.close();
        second.close();
        executor.shutdownNow();
    }
}
