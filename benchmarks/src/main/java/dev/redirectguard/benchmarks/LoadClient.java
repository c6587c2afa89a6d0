package dev.redirectguard.benchmarks;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

/**
 * One client JVM of the concurrency benchmark (started by ConcurrencyBenchmarks, with or without
 * the agent): N threads that call one workload against KeepAliveServer, in slices the harness asks
 * for on stdin, so that the JVMs of one case (no agent, audit, enforce...) can take turns at short
 * intervals and share whatever else the machine does at the time. Prints READY, then per command:
 *
 *     mode NAME         ->  MODE NAME            (paired runs: the agent's mode, through its MBean)
 *     warm SECONDS      ->  DONE jitMs=...       (the JIT's CPU since this JVM's previous reply)
 *     measure SECONDS   ->  SLICE calls=... seconds=... callsDrained=... exchangesDrained=... cpuSeconds=...
 *                               serverCpuSeconds=... serverWaitSeconds=... serverWallSeconds=...
 *     quit (or EOF)     ->  END errors=... statuses=200:n,... stopped=true
 *
 * calls: the workload's calls (one call = what the application asked, with the redirect hops it
 * caused) completed within the slice; callsDrained, exchangesDrained (HTTP requests the server
 * answered), cpuSeconds (this JVM's CPU) and the server's thread times: until the calls in flight at
 * the end of the slice completed. The server's wait is the time its threads were ready to run but
 * waited for a core (-1 where the kernel does not say).
 *
 *     java -cp benchmarks.jar dev.redirectguard.benchmarks.LoadClient PORT WORKLOAD THREADS
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

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        Workload workload = Workload.valueOf(args[1]);
        int threads = Integer.parseInt(args[2]);
        // The agent registers its MBean a few seconds after start; create the platform MBean server
        // now in every configuration, so that the same happens in each JVM, at the same point.
        ManagementFactory.getPlatformMBeanServer();
        LoadClient load = new LoadClient(call(workload, "http://127.0.0.1:" + port), threads);
        BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII));
        long jitMark = jitMillis();
        System.out.println("READY");
        System.out.flush();
        for (String line; (line = commands.readLine()) != null && !line.equals("quit"); ) {
            String[] c = line.split(" ");
            if (c[0].equals("mode")) {
                PairedModes.setAgentMode(c[1]);
                System.out.println("MODE " + c[1]);
                System.out.flush();
                continue;
            }
            long nanos = (long) (Double.parseDouble(c[1]) * 1e9);
            if (c[0].equals("warm")) {
                load.slice(nanos, -1);
                long jit = jitMillis();
                System.out.println("DONE jitMs=" + (jit - jitMark));
                jitMark = jit;
            } else {
                System.out.println("SLICE " + load.slice(nanos, port));
                jitMark = jitMillis();
            }
            System.out.flush();
        }
        boolean stopped = load.quit();
        StringBuilder s = new StringBuilder();
        for (Map.Entry<Integer, LongAdder> e : new TreeMap<>(load.statuses).entrySet()) {
            s.append(s.length() == 0 ? "" : ",").append(e.getKey()).append(':').append(e.getValue().sum());
        }
        System.out.println("END errors=" + load.errors.sum() + " statuses=" + (s.length() == 0 ? "-" : s)
                + " stopped=" + stopped);
        for (Map.Entry<String, LongAdder> e : load.errorKinds.entrySet()) {
            System.out.println("ERROR " + e.getValue().sum() + " x " + e.getKey());
        }
        System.out.flush();
        System.exit(0);
    }

    private final Object gate = new Object();
    private volatile boolean running;
    private volatile boolean quitting;
    private final AtomicInteger active = new AtomicInteger();
    private final CountDownLatch exited;
    private final LongAdder calls = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private final Map<Integer, LongAdder> statuses = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> errorKinds = new ConcurrentHashMap<>();

    private LoadClient(Call call, int threads) {
        exited = new CountDownLatch(threads);
        for (int i = 0; i < threads; i++) {
            Thread t = new Thread(() -> work(call), "load-" + i);
            t.setDaemon(true);
            t.start();
        }
    }

    /** A worker: waits at the gate while no slice runs, calls in a loop while one does. */
    private void work(Call call) {
        try {
            while (true) {
                synchronized (gate) {
                    while (!running && !quitting) {
                        gate.wait();
                    }
                }
                if (quitting) {
                    return;
                }
                active.incrementAndGet();
                try {
                    while (running) {
                        try {
                            int status = call.run();
                            statuses.computeIfAbsent(status, x -> new LongAdder()).increment();
                            calls.increment();
                        } catch (Exception e) {
                            errors.increment();
                            errorKinds.computeIfAbsent(e.getClass().getSimpleName() + ": " + e.getMessage(),
                                    x -> new LongAdder()).increment();
                        }
                    }
                } finally {
                    active.decrementAndGet();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            exited.countDown();
        }
    }

    /**
     * Runs every thread for this long, then waits until the calls in flight have finished, so that
     * nothing of this JVM runs during another JVM's slice. With a port, measures: the calls that
     * completed within the slice, and what the JVM and the server spent until the last one ended.
     */
    private String slice(long nanos, int port) throws IOException, InterruptedException {
        long[] server0 = port < 0 ? null : serverStats(port);
        long calls0 = calls.sum();
        long cpu0 = processCpuNanos();
        long t0 = System.nanoTime();
        synchronized (gate) {
            running = true;
            gate.notifyAll();
        }
        Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        long callsInSlice = calls.sum() - calls0;
        long t1 = System.nanoTime();
        running = false;
        long drainLimit = System.nanoTime() + 30_000_000_000L;
        while (active.get() > 0 && System.nanoTime() < drainLimit) {
            Thread.sleep(0, 200_000);
        }
        if (port < 0) {
            return null;
        }
        long callsDrained = calls.sum() - calls0;
        long cpu = processCpuNanos() - cpu0;
        long[] server1 = serverStats(port);
        // the /stats request at the start is counted by the server, the one at the end too
        long exchanges = server1[0] - server0[0] - 1;
        long serverWall = (server1[3] - server0[3]) * server1[4];
        return String.format(Locale.ROOT, "calls=%d seconds=%.6f callsDrained=%d exchangesDrained=%d cpuSeconds=%.6f"
                        + " serverCpuSeconds=%.6f serverWaitSeconds=%.6f serverWallSeconds=%.6f", callsInSlice,
                (t1 - t0) / 1e9, callsDrained, exchanges, cpu / 1e9, (server1[1] - server0[1]) / 1e9,
                server0[2] < 0 ? -1 : (server1[2] - server0[2]) / 1e9, serverWall / 1e9);
    }

    private boolean quit() throws InterruptedException {
        synchronized (gate) {
            running = false;
            quitting = true;
            gate.notifyAll();
        }
        return exited.await(30, TimeUnit.SECONDS);
    }

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

    /**
     * CPU time of the JIT's compiler threads so far, in ms: warm-up goes on until it stops
     * growing. On Linux from /proc, as the compilers work. The MXBean's compilation time (elsewhere)
     * grows only when a compilation ends: with 64 busy threads on 2 cores a compiler thread gets
     * little CPU, a C2 compilation can take seconds, and the slices before it ends look quiet (a
     * flood's audit JVM, run alone, still ran the agent's report path at C1's tier 2 40 s in).
     * Measured from reply to reply, it also counts what the compilers did while this JVM waited
     * for its turn.
     */
    private static long jitMillis() {
        String[] tasks = new java.io.File("/proc/self/task").list();
        long ticks = 0;
        boolean found = false;
        for (String task : tasks == null ? new String[0] : tasks) {
            try {
                java.nio.file.Path dir = java.nio.file.Paths.get("/proc/self/task", task);
                String name = new String(java.nio.file.Files.readAllBytes(dir.resolve("comm")), StandardCharsets.US_ASCII);
                if (!name.startsWith("C1 CompilerThre") && !name.startsWith("C2 CompilerThre")) {
                    continue;
                }
                String stat = new String(java.nio.file.Files.readAllBytes(dir.resolve("stat")), StandardCharsets.US_ASCII);
                // after "pid (comm) ": state is field 3; utime and stime are fields 14 and 15
                String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
                ticks += Long.parseLong(f[11]) + Long.parseLong(f[12]);
                found = true;
            } catch (IOException | RuntimeException e) {
                // the thread ended meanwhile (the JVM adds and removes compiler threads)
            }
        }
        return found ? ticks * 10 : compileMillis(); // USER_HZ is 100 on Linux
    }

    private static long compileMillis() {
        java.lang.management.CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        return jit != null && jit.isCompilationTimeMonitoringSupported() ? jit.getTotalCompilationTime() : 0;
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
