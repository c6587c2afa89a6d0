package dev.redirectguard.benchmarks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.LongAdder;

/**
 * One run of the concurrency benchmark, in a JVM of its own (started by ConcurrencyBenchmarks,
 * with or without the agent): N threads call one workload in a loop against KeepAliveServer for a
 * warm-up, then for a measured window, and the JVM prints one line:
 *
 *     RESULT calls=... seconds=... exchanges=... cpuSeconds=... serverCpu=... serverWait=... errors=... statuses=200:n,...
 *
 * calls: the workload's calls completed in the window (one call = what the application asked, with
 * the redirect hops it caused); exchanges: the HTTP requests the server answered in the window;
 * cpuSeconds: this JVM's CPU time in the window; serverCpu: the share of the window the server's
 * threads ran (per thread), serverWait: the share they were ready but waited for a core; their sum
 * near 1 means the server always had work.
 *
 *     java -cp benchmarks.jar dev.redirectguard.benchmarks.LoadClient PORT WORKLOAD THREADS WARMUP_S MEASURE_S
 */
public final class LoadClient {
    private static final byte[] BODY = "{\"order\":42}".getBytes(StandardCharsets.UTF_8);

    /** The workloads: the client, the request, and what the hop is. */
    enum Workload {
        /** HttpURLConnection GET /ok: no redirect. */
        HUC_GET,
        /** HttpURLConnection POST -> 307 -> POST: a compliant hop. */
        HUC_POST307,
        /**
         * HttpURLConnection PUT -> 303: the JDK re-sends the PUT with its body and Content-Type
         * (get-after-303, JDK 8-25); enforce sends a GET. Two exchanges a call in every mode.
         */
        HUC_PUT303,
        /**
         * HttpURLConnection POST -> 308: the JDK returns the 308 to the caller (same-method-307-308,
         * JDK 8-25); enforce follows it, so two exchanges a call where the JDK makes one.
         */
        HUC_POST308,
        /** HttpClient GET /ok: no redirect (a Redirect.NORMAL client: redirectable). */
        HC_GET,
        /** HttpClient POST -> 307 -> POST: a compliant hop. */
        HC_POST307,
        /** HttpClient POST -> 303 -> GET that keeps Content-Type (get-after-303, JDK 11-25). */
        HC_POST303;

        boolean httpClient() {
            return name().startsWith("HC_");
        }
    }

    private LoadClient() {
    }

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Workload workload = Workload.valueOf(args[1]);
        int threads = Integer.parseInt(args[2]);
        long warmupNanos = (long) (Double.parseDouble(args[3]) * 1e9);
        long measureNanos = (long) (Double.parseDouble(args[4]) * 1e9);
        // The agent registers its MBean a few seconds after start; create the platform MBean server
        // now in every configuration, so that what lands in a run's window is the same for all.
        long mainAt = ManagementFactory.getRuntimeMXBean().getUptime();
        ManagementFactory.getPlatformMBeanServer();
        String base = "http://127.0.0.1:" + port;
        Call call = call(workload, base);

        LongAdder calls = new LongAdder();
        LongAdder errors = new LongAdder();
        Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
        Map<String, LongAdder> errorKinds = new ConcurrentHashMap<>();
        CountDownLatch done = new CountDownLatch(threads);
        Thread[] workers = new Thread[threads];
        for (int i = 0; i < threads; i++) {
            workers[i] = new Thread(() -> {
                try {
                    while (!stop) {
                        try {
                            int status = call.run();
                            statuses.computeIfAbsent(status, s -> new LongAdder()).increment();
                            calls.increment();
                        } catch (Exception e) {
                            errors.increment();
                            errorKinds.computeIfAbsent(e.getClass().getSimpleName() + ": " + e.getMessage(),
                                    s -> new LongAdder()).increment();
                        }
                    }
                } finally {
                    done.countDown();
                }
            }, "load-" + i);
            workers[i].setDaemon(true);
            workers[i].start();
        }
        Thread.sleep(warmupNanos / 1_000_000);
        long[] server0 = serverStats(port);
        long calls0 = calls.sum();
        long errors0 = errors.sum();
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        Thread.sleep(measureNanos / 1_000_000);
        long calls1 = calls.sum();
        long errors1 = errors.sum();
        long t1 = System.nanoTime();
        long cpu1 = processCpuNanos();
        long[] server1 = serverStats(port);
        stop = true;
        boolean stopped = done.await(30, java.util.concurrent.TimeUnit.SECONDS);

        double seconds = (t1 - t0) / 1e9;
        // the two /stats requests are the server's too: one of them falls in the window
        long exchanges = server1[0] - server0[0] - 1;
        // per server thread, averaged: the share of the window it ran, and the share it was ready
        // to run but waited for a core (-1 where the kernel does not say)
        double serverWall = (server1[3] - server0[3]) * (double) server1[4];
        double serverCpu = (server1[1] - server0[1]) / serverWall;
        double serverWait = server0[2] < 0 ? -1 : (server1[2] - server0[2]) / serverWall;
        StringBuilder s = new StringBuilder();
        for (Map.Entry<Integer, LongAdder> e : new TreeMap<>(statuses).entrySet()) {
            s.append(s.length() == 0 ? "" : ",").append(e.getKey()).append(':').append(e.getValue().sum());
        }
        System.out.printf("RESULT calls=%d seconds=%.4f exchanges=%d cpuSeconds=%.4f serverCpu=%.3f serverWait=%.3f"
                        + " errors=%d statuses=%s stopped=%b mainAtMs=%d resultAtMs=%d%n", calls1 - calls0, seconds, exchanges, (cpu1 - cpu0) / 1e9,
                serverCpu, serverWait, errors1 - errors0, s.length() == 0 ? "-" : s, stopped,
                mainAt, ManagementFactory.getRuntimeMXBean().getUptime());
        for (Map.Entry<String, LongAdder> e : errorKinds.entrySet()) {
            System.out.println("ERROR " + e.getValue().sum() + " x " + e.getKey());
        }
        System.out.flush();
        System.exit(0);
    }

    private static volatile boolean stop;

    @FunctionalInterface
    interface Call {
        int run() throws Exception;
    }

    static Call call(Workload workload, String base) throws Exception {
        if (workload.httpClient()) {
            // One client for all threads, as an application shares one.
            HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                    .version(HttpClient.Version.HTTP_1_1).build();
            HttpRequest request;
            switch (workload) {
                case HC_GET:
                    request = HttpRequest.newBuilder(URI.create(base + "/ok")).build();
                    break;
                case HC_POST307:
                    request = post(base + "/r307");
                    break;
                case HC_POST303:
                    request = post(base + "/r303");
                    break;
                default:
                    throw new IllegalArgumentException(workload.name());
            }
            return () -> client.send(request, HttpResponse.BodyHandlers.ofByteArray()).statusCode();
        }
        switch (workload) {
            case HUC_GET: {
                URL url = new URL(base + "/ok");
                return () -> read((HttpURLConnection) url.openConnection());
            }
            case HUC_POST307:
                return urlConnectionWithBody(new URL(base + "/r307"), "POST");
            case HUC_PUT303:
                return urlConnectionWithBody(new URL(base + "/r303"), "PUT");
            case HUC_POST308:
                return urlConnectionWithBody(new URL(base + "/r308"), "POST");
            default:
                throw new IllegalArgumentException(workload.name());
        }
    }

    private static HttpRequest post(String url) {
        return HttpRequest.newBuilder(URI.create(url)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(BODY)).build();
    }

    private static Call urlConnectionWithBody(URL url, String method) {
        return () -> {
            HttpURLConnection c = (HttpURLConnection) url.openConnection();
            c.setRequestMethod(method);
            c.setRequestProperty("Content-Type", "application/json");
            c.setDoOutput(true);
            try (OutputStream out = c.getOutputStream()) {
                out.write(BODY);
            }
            return read(c);
        };
    }

    /** Reads the body to its end, so that the connection goes back to the keep-alive cache. */
    private static int read(HttpURLConnection c) throws IOException {
        int status = c.getResponseCode();
        InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
        if (in != null) {
            try (InputStream body = in) {
                body.readAllBytes();
            }
        }
        return status;
    }

    private static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean
                ? ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime() : -1;
    }

    /** KeepAliveServer's /stats over a plain socket, so that no client library under test sees it. */
    private static long[] serverStats(int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port));
            s.getOutputStream().write("GET /stats HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            String response = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            String[] f = response.substring(response.indexOf("\r\n\r\n") + 4).trim().split(" ");
            long[] stats = new long[f.length];
            for (int i = 0; i < f.length; i++) {
                stats[i] = Long.parseLong(f[i]);
            }
            return stats;
        }
    }
}
