package dev.redirectguard.it.child;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;

/**
 * Child program: sends each case of the case file with java.net.http.HttpClient
 * ({@code Redirect.NORMAL}, HTTP/1.1 unless told otherwise), by {@code send} or
 * {@code sendAsync(..).join()} as the case says, and writes what the caller saw, with the
 * protocol version of the final response. One client for all cases, sequential.
 *
 * <p>Usage: {@code HcRunner <cases.tsv> <results.jsonl> [--version=HTTP_1_1|HTTP_2] [--client-per-case]}
 * <br>{@code --version}: the client's {@code HttpClient.Version} (default HTTP_1_1).
 * <br>{@code --client-per-case}: a new client (so new connections) for each case, e.g. so every
 * case over cleartext HTTP/2 starts with the client's h2c upgrade attempt.
 */
public final class HcRunner {
    static final String CLIENT = "HttpClient";

    public static void main(String[] args) throws IOException {
        List<ChildCase> cases = ChildCase.readAll(new File(args[0]));
        HttpClient.Version version = HttpClient.Version.HTTP_1_1;
        boolean clientPerCase = false;
        for (int i = 2; i < args.length; i++) {
            if (args[i].startsWith("--version=")) {
                version = HttpClient.Version.valueOf(args[i].substring("--version=".length()));
            } else if (args[i].equals("--client-per-case")) {
                clientPerCase = true;
            } else {
                throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        HttpClient client = clientPerCase ? null : newClient(version);
        try (ResultWriter out = new ResultWriter(new File(args[1]))) {
            for (ChildCase c : cases) {
                out.write(run(clientPerCase ? newClient(version) : client, c));
            }
        }
    }

    private static HttpClient newClient(HttpClient.Version version) {
        return HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NORMAL)
                .version(version)
                .connectTimeout(Duration.ofSeconds(10))
                .build();
    }

    static ResultLine run(HttpClient client, ChildCase c) {
        ResultLine result = new ResultLine(c, CLIENT);
        HttpRequest request;
        try {
            request = prepare(c);
        } catch (Throwable t) {
            result.setupError(t);
            return result;
        }
        result.put("sentMethod", request.method());
        try {
            HttpResponse<String> response = "async".equals(c.invocation)
                    ? client.sendAsync(request, BodyHandlers.ofString()).join()
                    : client.send(request, BodyHandlers.ofString());
            result.put("status", response.statusCode());
            result.put("body", response.body());
            result.put("finalMethod", response.request().method());
            result.put("finalUrl", response.uri().toString());
            result.put("version", response.version().name());
        } catch (CompletionException e) {
            result.error(e.getCause() != null ? e.getCause() : e);
        } catch (Throwable t) {
            result.error(t);
        }
        return result;
    }

    private static HttpRequest prepare(ChildCase c) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(c.url))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", ChildCase.authorization(c.id))
                .header("Cookie", ChildCase.cookie(c.id))
                .header("X-Custom", ChildCase.custom(c.id));
        if (c.hasBody()) {
            b.header("Content-Type", ChildCase.CONTENT_TYPE);
        }
        return b.method(c.method, publisher(c)).build();
    }

    private static BodyPublisher publisher(ChildCase c) {
        byte[] body = c.bodyBytes();
        switch (c.bodyMode) {
            case "none":
                return BodyPublishers.noBody();
            case "string":
                return BodyPublishers.ofString(new String(body, ChildCase.UTF_8));
            case "input-stream":
                // A fresh stream per subscription, so a redirect can send the body again.
                return BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body));
            default:
                throw new IllegalArgumentException("body mode " + c.bodyMode);
        }
    }
}
