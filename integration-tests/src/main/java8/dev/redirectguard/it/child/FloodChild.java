package dev.redirectguard.it.child;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.Charset;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Child program of the log-volume tests: a hot loop of HttpURLConnection GETs, each answered
 * 308 by a keep-alive server in this JVM (the JDK returns the 308: one violation per request).
 * Java 8: loaded by every JDK.
 *
 * <pre>
 * FloodChild REQUESTS THREADS
 * -> "flood requests=N millis=T observed=O droppedLines=D" (the agent's MBean, read in this JVM)
 * </pre>
 */
public final class FloodChild {
    private static final byte[] RESPONSE = ("HTTP/1.1 308 Permanent Redirect\r\nLocation: /target\r\n"
            + "Content-Length: 0\r\n\r\n").getBytes(Charset.forName("US-ASCII"));

    private FloodChild() {
    }

    public static void main(String[] args) throws Exception {
        final int requests = Integer.parseInt(args[0]);
        int threads = Integer.parseInt(args[1]);
        final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread acceptor = new Thread(new Runnable() {
            @Override
            public void run() {
                accept(server);
            }
        }, "flood-server");
        acceptor.setDaemon(true);
        acceptor.start();
        final String url = "http://127.0.0.1:" + server.getLocalPort() + "/flood";
        long start = System.nanoTime();
        Thread[] workers = new Thread[threads];
        for (int t = 0; t < threads; t++) {
            final int share = requests / threads + (t < requests % threads ? 1 : 0);
            workers[t] = new Thread(new Runnable() {
                @Override
                public void run() {
                    try {
                        for (int i = 0; i < share; i++) {
                            get(url);
                        }
                    } catch (IOException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }, "flood-" + t);
            workers[t].start();
        }
        for (Thread w : workers) {
            w.join();
        }
        long millis = (System.nanoTime() - start) / 1000000L;
        MBeanServer mbeans = ManagementFactory.getPlatformMBeanServer();
        ObjectName name = new ObjectName("dev.redirectguard:type=RedirectGuard");
        long deadline = System.currentTimeMillis() + 20000;
        while (!mbeans.isRegistered(name) && System.currentTimeMillis() < deadline) {
            Thread.sleep(50);
        }
        System.out.println("flood requests=" + requests + " millis=" + millis + " observed="
                + mbeans.getAttribute(name, "Observed") + " droppedLines=" + mbeans.getAttribute(name, "DroppedLines"));
    }

    static void get(String url) throws IOException {
        HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
        int status = c.getResponseCode();
        if (status != 308) {
            throw new IOException("status " + status);
        }
        InputStream in = c.getInputStream();
        while (in.read() >= 0) {
            // empty: read to the end so the connection is kept alive
        }
        in.close();
    }

    private static void accept(ServerSocket server) {
        for (;;) {
            try {
                final Socket s = server.accept();
                Thread t = new Thread(new Runnable() {
                    @Override
                    public void run() {
                        serve(s);
                    }
                }, "flood-connection");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    /** Answers every request on the connection with the same 308 (requests have no body). */
    private static void serve(Socket s) {
        try {
            s.setTcpNoDelay(true);
            InputStream in = new BufferedInputStream(s.getInputStream());
            OutputStream out = s.getOutputStream();
            int matched = 0;
            for (int b; (b = in.read()) >= 0; ) {
                matched = (b == '\r' || b == '\n') ? (matched + 1) : 0;
                if (matched == 4) { // \r\n\r\n: end of the request head
                    out.write(RESPONSE);
                    out.flush();
                    matched = 0;
                }
            }
            s.close();
        } catch (IOException e) {
            // client gone
        }
    }
}
