package dev.redirectguard.it.child.sequence;

import java.io.ByteArrayInputStream;
import java.io.File;
import java.net.Socket;
import java.net.Authenticator;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.ProxySelector;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Child program: runs a sequence plan with java.net.http.HttpClient over HTTP/1.1 and writes what
 * each caller saw. Each client of the plan is built at its first call and shared by every later
 * call that names it (so its connection pool, authentication cache, cookie store and executor
 * threads carry over): redirect policy NORMAL or ALWAYS, executor default, one thread or three,
 * optionally an Authenticator (Basic, server and proxy), a CookieManager and a proxy.
 *
 * <p>Usage: {@code HcSequenceRunner <plan.tsv> <results.jsonl>}
 */
public final class HcSequenceRunner {
    private static final Map<String, HttpClient> CLIENTS = new ConcurrentHashMap<>();

    public static void main(String[] args) throws Exception {
        SeqPlan plan = SeqPlan.read(new File(args[0]));
        SeqControl control = new SeqControl(plan.control);
        SeqSteps.run(plan, new File(args[1]), call -> call(plan, control, call));
    }

    static SeqOutcome call(SeqPlan plan, SeqControl control, SeqPlan.Call call) {
        SeqOutcome o = new SeqOutcome(call);
        HttpClient client;
        HttpRequest request;
        try {
            client = CLIENTS.computeIfAbsent(call.client, id -> newClient(plan, plan.clients.get(id)));
            request = request(call);
        } catch (Throwable t) {
            o.error("setup", t);
            return o;
        }
        try {
            HttpResponse<String> response;
            switch (call.invocation) {
                case "send":
                    response = client.send(request, BodyHandlers.ofString());
                    break;
                case "async":
                    response = client.sendAsync(request, BodyHandlers.ofString()).join();
                    break;
                case "cancel":
                    response = sendAndCancel(control, client, request, call, o);
                    break;
                default:
                    throw new IllegalArgumentException("invocation " + call.invocation);
            }
            o.put("status", response.statusCode());
            o.put("body", response.body());
            o.put("finalUrl", response.uri().toString());
            o.put("finalMethod", response.request().method());
        } catch (CompletionException | ExecutionException e) {
            o.error("", e.getCause() != null ? e.getCause() : e);
        } catch (Throwable t) {
            o.error("", t);
        }
        if (call.awaitPath != null && "java.net.http.HttpTimeoutException".equals(o.get("error"))) {
            // Timed out at the path that never answers: make sure the servers have recorded it.
            try {
                control.awaitReceived(call.awaitPath, 1);
            } catch (Throwable t) {
                o.error("await", t);
            }
        }
        return o;
    }

    /**
     * sendAsync, cancelled once the servers have the request for the path that never answers;
     * if the call ends before it gets there (a hop not followed), it is not cancelled.
     */
    private static HttpResponse<String> sendAndCancel(SeqControl control, HttpClient client, HttpRequest request,
                                                      SeqPlan.Call call, SeqOutcome o) throws Exception {
        CompletableFuture<HttpResponse<String>> cf = client.sendAsync(request, BodyHandlers.ofString());
        Socket awaiting = new Socket();
        CompletableFuture<Void> arrived = new CompletableFuture<>();
        // A thread of its own: a blocked worker of the common pool (one thread on two cores) could
        // starve whatever the JDK runs there.
        Thread waiter = new Thread(() -> {
            try {
                control.awaitReceived(awaiting, call.awaitPath, 1);
                arrived.complete(null);
            } catch (Throwable t) {
                arrived.completeExceptionally(t);
            }
        }, "await-" + call.id);
        waiter.setDaemon(true);
        waiter.start();
        try {
            CompletableFuture.anyOf(cf, arrived).handle((r, t) -> null).get();
            if (arrived.isDone() && !arrived.isCompletedExceptionally()) {
                o.put("cancelled", cf.cancel(true));
            }
            return cf.get();
        } finally {
            awaiting.close();
        }
    }

    private static HttpClient newClient(SeqPlan plan, SeqPlan.Client spec) {
        HttpClient.Builder b = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.valueOf(spec.option("policy", "NORMAL")));
        String executor = spec.option("executor", "default");
        if (executor.equals("one")) {
            b.executor(Executors.newSingleThreadExecutor(daemons(spec.id)));
        } else if (executor.equals("few")) {
            b.executor(Executors.newFixedThreadPool(3, daemons(spec.id)));
        }
        if ("1".equals(spec.option("auth", "0"))) {
            b.authenticator(new PlanAuthenticator());
        }
        if ("1".equals(spec.option("cookies", "0"))) {
            b.cookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL));
        }
        String proxy = spec.option("proxy", "-");
        if (!proxy.equals("-")) {
            String hostPort = plan.proxies.get(proxy);
            int colon = hostPort.lastIndexOf(':');
            b.proxy(ProxySelector.of(new InetSocketAddress(hostPort.substring(0, colon),
                    Integer.parseInt(hostPort.substring(colon + 1)))));
        }
        return b.build();
    }

    private static ThreadFactory daemons(String clientId) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "client-" + clientId + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static HttpRequest request(SeqPlan.Call call) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(call.url))
                .timeout(Duration.ofMillis(call.timeoutMillis > 0 ? call.timeoutMillis : 60000));
        if (call.headers.contains("auth")) {
            b.header("Authorization", SeqPlan.authorization(call.id));
        }
        if (call.headers.contains("cookie")) {
            b.header("Cookie", SeqPlan.cookie(call.id));
        }
        if (call.headers.contains("custom")) {
            b.header("X-Custom", SeqPlan.custom(call.id));
        }
        if (call.contentType) {
            b.header("Content-Type", SeqPlan.CONTENT_TYPE);
        }
        return b.method(call.method, publisher(call)).build();
    }

    private static BodyPublisher publisher(SeqPlan.Call call) {
        byte[] body = call.bodyBytes();
        switch (call.body) {
            case "none":
                return BodyPublishers.noBody();
            case "string":
                return BodyPublishers.ofString(new String(body, SeqPlan.UTF_8));
            case "bytes":
                return BodyPublishers.ofByteArray(body);
            case "stream":
                // A fresh stream per subscription, so that a redirect can send the body again.
                return BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body));
            default:
                throw new IllegalArgumentException("body " + call.body);
        }
    }

    /** Basic credentials for the servers' realm and the proxy's; nothing for anything else. */
    static final class PlanAuthenticator extends Authenticator {
        @Override
        protected PasswordAuthentication getPasswordAuthentication() {
            if (getRequestorType() == RequestorType.PROXY && SeqPlan.PROXY_REALM.equals(getRequestingPrompt())) {
                return new PasswordAuthentication(SeqPlan.PROXY_USER, SeqPlan.PROXY_PASSWORD.toCharArray());
            }
            if (getRequestorType() == RequestorType.SERVER && SeqPlan.REALM.equals(getRequestingPrompt())) {
                return new PasswordAuthentication(SeqPlan.SERVER_USER, SeqPlan.SERVER_PASSWORD.toCharArray());
            }
            return null;
        }
    }
}
