package dev.redirectguard.it.child.sequence;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Authenticator;
import java.net.CookieHandler;
import java.net.CookieManager;
import java.net.CookiePolicy;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.PasswordAuthentication;
import java.net.Proxy;
import java.net.URI;
import java.net.URL;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Child program: runs a sequence plan with HttpURLConnection, redirects followed (the default), and
 * writes what each caller saw. One JVM-wide Authenticator (server and proxy Basic credentials) and
 * one CookieHandler, which keeps and sends cookies only for calls of a client with {@code cookies=1}
 * (HttpURLConnection calls it on the caller's thread). Auth cache, cookie store and keep-alive
 * connections carry over from call to call, as in an application.
 *
 * <p>Usage: {@code HucSequenceRunner <plan.tsv> <results.jsonl>}
 */
public final class HucSequenceRunner {
    private static final ThreadLocal<Boolean> COOKIES = new ThreadLocal<Boolean>();

    public static void main(String[] args) throws Exception {
        final SeqPlan plan = SeqPlan.read(new File(args[0]));
        final SeqControl control = new SeqControl(plan.control);
        Authenticator.setDefault(new PlanAuthenticator());
        CookieHandler.setDefault(new SwitchedCookieHandler(new CookieManager(null, CookiePolicy.ACCEPT_ALL)));
        SeqSteps.run(plan, new File(args[1]), new SeqSteps.CallRunner() {
            @Override
            public SeqOutcome run(SeqPlan.Call call) {
                return call(plan, control, call);
            }
        });
    }

    static SeqOutcome call(SeqPlan plan, SeqControl control, SeqPlan.Call call) {
        SeqPlan.Client client = plan.clients.get(call.client);
        COOKIES.set("1".equals(client.option("cookies", "0")));
        try {
            return send(plan, control, client, call);
        } finally {
            COOKIES.remove();
        }
    }

    private static SeqOutcome send(SeqPlan plan, SeqControl control, SeqPlan.Client client, SeqPlan.Call call) {
        SeqOutcome o = new SeqOutcome(call);
        HttpURLConnection c;
        try {
            c = open(plan, client, call);
        } catch (Throwable t) {
            o.error("setup", t);
            return o;
        }
        try {
            InputStream in = c.getInputStream();
            o.put("body", SeqOutcome.read(in));
        } catch (Throwable t) {
            o.error("", t);
        }
        try {
            o.put("status", c.getResponseCode());
        } catch (Throwable t) {
            o.error("status", t);
        }
        if (o.has("error")) {
            try {
                InputStream err = c.getErrorStream();
                if (err != null) {
                    o.put("errorBody", SeqOutcome.read(err));
                }
            } catch (Throwable t) {
                o.error("errorBody", t);
            }
        }
        o.put("finalUrl", c.getURL().toString());
        if (call.reuse) {
            // The same connection object asked again, after an error or not.
            try {
                o.put("againStatus", c.getResponseCode());
            } catch (Throwable t) {
                o.error("againStatus", t);
            }
            try {
                o.put("againBody", SeqOutcome.read(c.getInputStream()));
            } catch (Throwable t) {
                o.error("again", t);
            }
        }
        if (call.awaitPath != null && "java.net.SocketTimeoutException".equals(o.get("error"))) {
            // Timed out at the path that never answers: make sure the servers have recorded it.
            try {
                control.awaitReceived(call.awaitPath, 1);
            } catch (Throwable t) {
                o.error("await", t);
            }
        }
        return o;
    }

    /** Builds the request; the streaming modes send headers and body right here. */
    private static HttpURLConnection open(SeqPlan plan, SeqPlan.Client client, SeqPlan.Call call) throws IOException {
        URL url = new URL(call.url);
        String proxy = client.option("proxy", "-");
        HttpURLConnection c;
        if (proxy.equals("-")) {
            c = (HttpURLConnection) url.openConnection();
        } else {
            String hostPort = plan.proxies.get(proxy);
            int colon = hostPort.lastIndexOf(':');
            c = (HttpURLConnection) url.openConnection(new Proxy(Proxy.Type.HTTP,
                    new InetSocketAddress(hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1)))));
        }
        c.setConnectTimeout(10000);
        c.setReadTimeout(call.timeoutMillis > 0 ? call.timeoutMillis : 60000);
        c.setInstanceFollowRedirects(true);
        c.setRequestMethod(call.method);
        if (call.headers.contains("auth")) {
            c.setRequestProperty("Authorization", SeqPlan.authorization(call.id));
        }
        if (call.headers.contains("cookie")) {
            c.setRequestProperty("Cookie", SeqPlan.cookie(call.id));
        }
        if (call.headers.contains("custom")) {
            c.setRequestProperty("X-Custom", SeqPlan.custom(call.id));
        }
        if (call.contentType) {
            c.setRequestProperty("Content-Type", SeqPlan.CONTENT_TYPE);
        }
        if (call.hasBody()) {
            byte[] body = call.bodyBytes();
            c.setDoOutput(true);
            if (call.body.equals("fixed")) {
                c.setFixedLengthStreamingMode(body.length);
            } else if (call.body.equals("chunked")) {
                c.setChunkedStreamingMode(0);
            } else if (!call.body.equals("buffered")) {
                throw new IllegalArgumentException("body " + call.body);
            }
            OutputStream os = c.getOutputStream();
            os.write(body);
            os.close();
        }
        return c;
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

    /** A CookieManager used only on threads whose call's client has cookies on. */
    static final class SwitchedCookieHandler extends CookieHandler {
        private final CookieHandler delegate;

        SwitchedCookieHandler(CookieHandler delegate) {
            this.delegate = delegate;
        }

        @Override
        public Map<String, List<String>> get(URI uri, Map<String, List<String>> requestHeaders) throws IOException {
            return Boolean.TRUE.equals(COOKIES.get()) ? delegate.get(uri, requestHeaders)
                    : Collections.<String, List<String>>emptyMap();
        }

        @Override
        public void put(URI uri, Map<String, List<String>> responseHeaders) throws IOException {
            if (Boolean.TRUE.equals(COOKIES.get())) {
                delegate.put(uri, responseHeaders);
            }
        }
    }
}
