package dev.redirectguard.benchmarks;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;

/**
 * One request on loopback, per client, with and without a redirect hop. RunBenchmarks runs these
 * in JVMs without the agent, with mode=audit and with mode=enforce: the ratios are the agent's cost.
 */
@State(Scope.Benchmark)
public class RequestBenchmarks {
    private static final byte[] BODY = "{\"order\":42}".getBytes(StandardCharsets.UTF_8);
    private LoopbackServer server;
    private URL ok;
    private URL temporary;
    private HttpClient client;
    private HttpRequest clientOk;
    private HttpRequest clientSeeOther;
    private HttpRequest clientTemporary;
    private static final String[] MODES = PairedModes.modesOfThisFork();
    private int iteration;

    @Setup(Level.Trial)
    public void start() throws Exception {
        server = new LoopbackServer();
        ok = new URL(server.url("/ok"));
        temporary = new URL(server.url("/r307"));
        client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
                .version(HttpClient.Version.HTTP_1_1).build();
        clientOk = HttpRequest.newBuilder(URI.create(server.url("/ok"))).build();
        clientSeeOther = HttpRequest.newBuilder(URI.create(server.url("/r303")))
                .header("Content-Type", "application/json").header("Authorization", "Bearer benchmark")
                .POST(HttpRequest.BodyPublishers.ofByteArray(BODY)).build();
        clientTemporary = HttpRequest.newBuilder(URI.create(server.url("/r307")))
                .header("Content-Type", "application/json").header("Authorization", "Bearer benchmark")
                .POST(HttpRequest.BodyPublishers.ofByteArray(BODY)).build();
    }

    /**
     * Paired forks ({@link PairedModes}): before each iteration the agent's mode changes, through
     * its MBean, to the next of {@code benchmarks.modes}; without that property nothing changes.
     */
    @Setup(Level.Iteration)
    public void nextMode() throws Exception {
        if (MODES != null) {
            PairedModes.setAgentMode(MODES[iteration++ % MODES.length]);
        }
    }

    @TearDown(Level.Trial)
    public void stop() {
        server.close();
    }

    /** No redirect: the agent's cost here should be nil. */
    @Benchmark
    public int urlConnectionGet() throws IOException {
        return read((HttpURLConnection) ok.openConnection());
    }

    /** POST through a 307: a compliant hop, decided by the rules but not logged. */
    @Benchmark
    public int urlConnectionPost307() throws IOException {
        HttpURLConnection c = (HttpURLConnection) temporary.openConnection();
        c.setRequestMethod("POST");
        c.setRequestProperty("Content-Type", "application/json");
        c.setRequestProperty("Authorization", "Bearer benchmark");
        c.setDoOutput(true);
        try (OutputStream out = c.getOutputStream()) {
            out.write(BODY);
        }
        return read(c);
    }

    /**
     * No redirect, on a Redirect.NORMAL client: the request could be redirected, so the agent takes
     * the caller's frame as it is sent; that is all it may cost here.
     */
    @Benchmark
    public int httpClientGet() throws Exception {
        return client.send(clientOk, HttpResponse.BodyHandlers.ofByteArray()).statusCode();
    }

    /** POST through a 307: a compliant hop (same method, same body), decided but not logged. */
    @Benchmark
    public int httpClientPost307() throws Exception {
        return client.send(clientTemporary, HttpResponse.BodyHandlers.ofByteArray()).statusCode();
    }

    /**
     * POST through a 303: the JDK keeps Content-Type on the GET (get-after-303), so every call is a
     * violation; with the default logInterval the identical lines collapse into one summary.
     */
    @Benchmark
    public int httpClientPost303() throws Exception {
        return client.send(clientSeeOther, HttpResponse.BodyHandlers.ofByteArray()).statusCode();
    }

    private static int read(HttpURLConnection c) throws IOException {
        try (InputStream in = c.getInputStream()) {
            in.readAllBytes();
        }
        return c.getResponseCode();
    }
}
