package dev.redirectguard.benchmarks;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The server of the concurrency benchmark, in a JVM of its own: HTTP/1.1 keep-alive on loopback,
 * TCP_NODELAY, one or a few selector threads, canned responses. It must cost the machine far less
 * than the client so that the client, where the agent runs, is the bottleneck; GET /stats says how
 * busy its threads were, so every run can show that it was not saturated.
 *
 * Routes: /ok answers 200 "ok"; /rNNN answers NNN with Location: /ok; /stats answers
 * "requests cpuNanos runQueueNanos wallNanos", summed over the selector threads (cpu from
 * ThreadMXBean, run-queue wait from /proc/self/task/TID/schedstat, -1 where the kernel has none).
 * A busy fraction (cpu + run-queue wait) / wall near 1 for a thread means it always had work: saturated.
 *
 *     java -cp benchmarks.jar dev.redirectguard.benchmarks.KeepAliveServer [selectorThreads]
 *
 * prints "port N" once it listens, and runs until stdin closes.
 */
public final class KeepAliveServer {
    private static final byte[] OK = response(200, "OK", null, "ok");
    private static final int MAX_REQUEST = 1 << 20;
    private static final AtomicLong FAILURES = new AtomicLong();

    private final ServerSocketChannel listener;
    private final Loop[] loops;
    private final long started = System.nanoTime();

    KeepAliveServer(int threads) throws IOException {
        listener = ServerSocketChannel.open();
        listener.bind(new InetSocketAddress("127.0.0.1", 0), 1024);
        loops = new Loop[threads];
        for (int i = 0; i < threads; i++) {
            loops[i] = new Loop(this);
            Thread t = new Thread(loops[i], "keepalive-selector-" + i);
            t.setDaemon(true);
            t.start();
        }
    }

    public static void main(String[] args) throws Exception {
        KeepAliveServer server = new KeepAliveServer(args.length > 0 ? Integer.parseInt(args[0]) : 1);
        Thread acceptor = new Thread(server::accept, "keepalive-acceptor");
        acceptor.setDaemon(true);
        acceptor.start();
        System.out.println("port " + server.listener.socket().getLocalPort());
        System.out.flush();
        // The harness owns this process: it ends when the harness closes our stdin (or dies).
        while (System.in.read() >= 0) {
            // nothing to read
        }
        System.exit(0);
    }

    private void accept() {
        int next = 0;
        while (true) {
            try {
                SocketChannel c = listener.accept();
                c.setOption(StandardSocketOptions.TCP_NODELAY, true);
                c.configureBlocking(false);
                loops[next++ % loops.length].add(c);
            } catch (IOException e) {
                if (!listener.isOpen()) {
                    return;
                }
            }
        }
    }

    String stats() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        long requests = 0;
        long cpu = 0;
        long wait = 0;
        for (Loop l : loops) {
            requests += l.requests.get();
            cpu += mx.getThreadCpuTime(l.threadId);
            long w = l.runQueueNanos();
            wait = wait < 0 || w < 0 ? -1 : wait + w;
        }
        return requests + " " + cpu + " " + wait + " " + (System.nanoTime() - started) + " " + loops.length;
    }

    static byte[] response(int status, String reason, String location, String body) {
        StringBuilder s = new StringBuilder("HTTP/1.1 ").append(status).append(' ').append(reason).append("\r\n");
        if (location != null) {
            s.append("Location: ").append(location).append("\r\n");
        }
        s.append("Content-Length: ").append(body.length()).append("\r\n");
        if (!body.isEmpty()) {
            s.append("Content-Type: text/plain\r\n");
        }
        return s.append("\r\n").append(body).toString().getBytes(StandardCharsets.US_ASCII);
    }

    private static final class Loop implements Runnable {
        private final KeepAliveServer server;
        private final Selector selector;
        private final Queue<SocketChannel> added = new ConcurrentLinkedQueue<>();
        private final byte[][] redirects = new byte[1000][];
        final AtomicLong requests = new AtomicLong();
        volatile long threadId;
        volatile Path schedstat;

        Loop(KeepAliveServer server) throws IOException {
            this.server = server;
            this.selector = Selector.open();
        }

        void add(SocketChannel c) {
            added.add(c);
            selector.wakeup();
        }

        long runQueueNanos() {
            Path p = schedstat;
            if (p == null) {
                return -1;
            }
            try {
                return Long.parseLong(Files.readString(p).trim().split(" ")[1]);
            } catch (IOException | RuntimeException e) {
                return -1;
            }
        }

        @Override
        public void run() {
            threadId = Thread.currentThread().getId();
            try {
                // "/proc/thread-self" -> "<pid>/task/<tid>": this thread's scheduler statistics.
                schedstat = Path.of("/proc").resolve(Files.readSymbolicLink(Path.of("/proc/thread-self")))
                        .resolve("schedstat");
            } catch (IOException | RuntimeException e) {
                schedstat = null;
            }
            while (true) {
                try {
                    selector.select();
                    for (SocketChannel c; (c = added.poll()) != null; ) {
                        c.register(selector, SelectionKey.OP_READ, new Connection());
                    }
                    Iterator<SelectionKey> keys = selector.selectedKeys().iterator();
                    while (keys.hasNext()) {
                        SelectionKey k = keys.next();
                        keys.remove();
                        serve(k);
                    }
                } catch (IOException e) {
                    // a selector failure: keep serving the other connections
                }
            }
        }

        private void serve(SelectionKey k) {
            SocketChannel c = (SocketChannel) k.channel();
            Connection conn = (Connection) k.attachment();
            try {
                if (k.isValid() && k.isReadable()) {
                    int n = c.read(conn.in);
                    if (n < 0) {
                        c.close();
                        return;
                    }
                    handle(conn);
                }
                if (k.isValid()) {
                    flush(k, c, conn);
                }
            } catch (IOException | RuntimeException e) {
                // a client that goes away resets its connections; anything else is the server's bug
                if (!(e instanceof IOException) && FAILURES.getAndIncrement() < 3) {
                    e.printStackTrace();
                }
                try {
                    c.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }

        private void flush(SelectionKey k, SocketChannel c, Connection conn) throws IOException {
            conn.out.flip();
            c.write(conn.out);
            boolean pending = conn.out.hasRemaining();
            conn.out.compact();
            if (pending) {
                k.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
            } else if (conn.closeAfterWrite) {
                c.close();
            } else {
                k.interestOps(SelectionKey.OP_READ);
            }
        }

        /** Answers every complete request in the buffer (pipelined ones too). */
        private void handle(Connection conn) {
            ByteBuffer in = conn.in;
            byte[] a = in.array();
            int limit = in.position();
            int start = 0;
            int needed = 0;
            while (!conn.closeAfterWrite) {
                int headerEnd = indexOfBlankLine(a, start, limit);
                if (headerEnd < 0) {
                    break;
                }
                int lineEnd = indexOf(a, start, headerEnd, (byte) '\r');
                int sp1 = indexOf(a, start, lineEnd, (byte) ' ');
                int sp2 = indexOf(a, sp1 + 1, lineEnd, (byte) ' ');
                if (sp1 < 0 || sp2 < 0) {
                    answer(conn, response(400, "Bad Request", null, ""));
                    conn.closeAfterWrite = true;
                    break;
                }
                long contentLength = 0;
                boolean chunked = false;
                boolean close = false;
                for (int line = lineEnd + 2; line < headerEnd; ) {
                    int end = indexOf(a, line, headerEnd, (byte) '\r');
                    if (end < 0) {
                        end = headerEnd;
                    }
                    if (startsWithIgnoreCase(a, line, end, "content-length:")) {
                        contentLength = Long.parseLong(ascii(a, line + 15, end).trim());
                    } else if (startsWithIgnoreCase(a, line, end, "transfer-encoding:")) {
                        chunked = ascii(a, line + 18, end).toLowerCase().contains("chunked");
                    } else if (startsWithIgnoreCase(a, line, end, "connection:")) {
                        close = ascii(a, line + 11, end).toLowerCase().contains("close");
                    }
                    line = end + 2;
                }
                if (chunked || contentLength > MAX_REQUEST) {
                    // The benchmark's clients send small bodies with a Content-Length.
                    answer(conn, response(501, "Not Implemented", null, ""));
                    conn.closeAfterWrite = true;
                    break;
                }
                int requestEnd = headerEnd + 4 + (int) contentLength;
                if (requestEnd > limit) {
                    needed = requestEnd - start;
                    break;
                }
                requests.incrementAndGet();
                answer(conn, route(a, sp1 + 1, sp2));
                conn.closeAfterWrite = close;
                start = requestEnd;
            }
            // keep the unanswered rest at the front of the buffer, with room for all of it
            System.arraycopy(a, start, a, 0, limit - start);
            in.position(limit - start);
            if (needed > in.capacity()) {
                ByteBuffer bigger = ByteBuffer.allocate(needed);
                in.flip();
                conn.in = bigger.put(in);
            } else if (in.position() == in.capacity()) {
                // a header block larger than the buffer
                ByteBuffer bigger = ByteBuffer.allocate(in.capacity() * 2);
                in.flip();
                conn.in = bigger.put(in);
            }
        }

        private byte[] route(byte[] a, int from, int to) {
            int q = indexOf(a, from, to, (byte) '?');
            int end = q < 0 ? to : q;
            String path = ascii(a, from, end);
            if (path.equals("/ok")) {
                return OK;
            }
            if (path.length() == 5 && path.startsWith("/r")) {
                int status = Integer.parseInt(path.substring(2));
                byte[] r = redirects[status];
                if (r == null) {
                    r = redirects[status] = response(status, "Redirect", "/ok", "");
                }
                return r;
            }
            if (path.equals("/stats")) {
                return response(200, "OK", null, server.stats());
            }
            return response(404, "Not Found", null, "");
        }

        private static void answer(Connection conn, byte[] response) {
            if (conn.out.remaining() < response.length) {
                ByteBuffer bigger = ByteBuffer.allocate(conn.out.capacity() * 2 + response.length);
                conn.out.flip();
                bigger.put(conn.out);
                conn.out = bigger;
            }
            conn.out.put(response);
        }
    }

    private static final class Connection {
        ByteBuffer in = ByteBuffer.allocate(8192);
        ByteBuffer out = ByteBuffer.allocate(8192);
        boolean closeAfterWrite;
    }

    private static int indexOfBlankLine(byte[] a, int from, int to) {
        for (int i = from; i + 3 < to; i++) {
            if (a[i] == '\r' && a[i + 1] == '\n' && a[i + 2] == '\r' && a[i + 3] == '\n') {
                return i;
            }
        }
        return -1;
    }

    private static int indexOf(byte[] a, int from, int to, byte b) {
        for (int i = from; i < to; i++) {
            if (a[i] == b) {
                return i;
            }
        }
        return -1;
    }

    private static boolean startsWithIgnoreCase(byte[] a, int from, int to, String prefix) {
        if (to - from < prefix.length()) {
            return false;
        }
        for (int i = 0; i < prefix.length(); i++) {
            if (Character.toLowerCase((char) a[from + i]) != prefix.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static String ascii(byte[] a, int from, int to) {
        return new String(a, from, to - from, StandardCharsets.US_ASCII);
    }
}
