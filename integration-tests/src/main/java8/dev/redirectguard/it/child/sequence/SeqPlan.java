package dev.redirectguard.it.child.sequence;

import java.io.BufferedReader;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The request sequences a child runs, as the test wrote them: one tab-separated line per client,
 * step and call. Also the one source of every value a call sends (header values, body, the
 * authenticator's credentials), so that the child and the test's oracle cannot drift apart.
 * Java 8: read by both runners.
 *
 * <pre>
 * control  host:port                     where the child waits for the servers (SeqControl)
 * proxy    NAME  host:port               a proxy endpoint of the servers
 * client   ID    key=value ...           policy, executor, auth, cookies, proxy (HttpClient); proxy, cookies (HttpURLConnection)
 * step     SEQ   STEP  PARALLEL(0|1)
 * call     ID    CLIENT METHOD BODY CTYPE(0|1) HEADERS(auth,cookie,custom|-) INVOCATION TIMEOUT_MS REUSE(0|1) AWAIT_PATH|- BACKGROUND(0|1) URL
 * </pre>
 */
public final class SeqPlan {
    public static final Charset UTF_8 = Charset.forName("UTF-8");
    public static final String CONTENT_TYPE = "text/plain; charset=utf-8";
    public static final String REALM = "rg";
    public static final String PROXY_REALM = "rg-proxy";
    public static final String SERVER_USER = "rg-user";
    public static final String SERVER_PASSWORD = "rg-pass";
    public static final String PROXY_USER = "rg-proxy-user";
    public static final String PROXY_PASSWORD = "rg-proxy-pass";

    /** A client: HttpClient options, or for HttpURLConnection the per-call proxy and cookie switch. */
    public static final class Client {
        public final String id;
        public final Map<String, String> options;

        Client(String id, Map<String, String> options) {
            this.id = id;
            this.options = Collections.unmodifiableMap(options);
        }

        public String option(String key, String fallback) {
            String v = options.get(key);
            return v == null ? fallback : v;
        }
    }

    public static final class Call {
        public final String id;
        public final String client;
        public final String method;
        /** HttpURLConnection: none, buffered, fixed, chunked; HttpClient: none, string, bytes, stream. */
        public final String body;
        public final boolean contentType;
        /** Subset of auth, cookie, custom: the caller's own headers. */
        public final Set<String> headers;
        /** HttpClient: send, async (sendAsync then join), cancel (sendAsync, cancelled once awaitPath arrived); "-" otherwise. */
        public final String invocation;
        /** 0: the generous default; otherwise a short read (HttpURLConnection) or request (HttpClient) timeout. */
        public final int timeoutMillis;
        /** HttpURLConnection: ask the connection for its response code and stream again afterwards. */
        public final boolean reuse;
        /** A path that never answers, which the servers must have received before the call goes on (cancel) or ends. */
        public final String awaitPath;
        /** Runs on a thread of its own from its step on, joined when the plan ends (a timeout, so its wait costs nothing). */
        public final boolean background;
        public final String url;

        Call(String[] f) {
            id = f[1];
            client = f[2];
            method = f[3];
            body = f[4];
            contentType = f[5].equals("1");
            headers = f[6].equals("-") ? Collections.<String>emptySet()
                    : Collections.unmodifiableSet(new LinkedHashSet<String>(Arrays.asList(f[6].split(","))));
            invocation = f[7];
            timeoutMillis = Integer.parseInt(f[8]);
            reuse = f[9].equals("1");
            awaitPath = f[10].equals("-") ? null : f[10];
            background = f[11].equals("1");
            url = f[12];
        }

        public boolean hasBody() {
            return !"none".equals(body);
        }

        public byte[] bodyBytes() {
            return body(id).getBytes(UTF_8);
        }
    }

    public static final class Step {
        public final String seq;
        public final String step;
        public final boolean parallel;
        public final List<Call> calls = new ArrayList<Call>();

        Step(String seq, String step, boolean parallel) {
            this.seq = seq;
            this.step = step;
            this.parallel = parallel;
        }
    }

    public String control;
    public final Map<String, String> proxies = new LinkedHashMap<String, String>();
    public final Map<String, Client> clients = new LinkedHashMap<String, Client>();
    public final List<Step> steps = new ArrayList<Step>();

    public static SeqPlan read(File file) throws IOException {
        SeqPlan plan = new SeqPlan();
        BufferedReader in = new BufferedReader(new InputStreamReader(new FileInputStream(file), UTF_8));
        try {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.isEmpty() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split("\t", -1);
                if (f[0].equals("control")) {
                    plan.control = f[1];
                } else if (f[0].equals("proxy")) {
                    plan.proxies.put(f[1], f[2]);
                } else if (f[0].equals("client")) {
                    Map<String, String> options = new LinkedHashMap<String, String>();
                    for (int i = 2; i < f.length; i++) {
                        int eq = f[i].indexOf('=');
                        options.put(f[i].substring(0, eq), f[i].substring(eq + 1));
                    }
                    plan.clients.put(f[1], new Client(f[1], options));
                } else if (f[0].equals("step")) {
                    plan.steps.add(new Step(f[1], f[2], f[3].equals("1")));
                } else if (f[0].equals("call") && f.length == 13) {
                    plan.steps.get(plan.steps.size() - 1).calls.add(new Call(f));
                } else {
                    throw new IOException("bad plan line: " + line);
                }
            }
        } finally {
            in.close();
        }
        return plan;
    }

    // Values differ from the call id (which appears in URLs and log lines), so a leak is visible.
    public static String authorization(String callId) {
        return "Bearer tk-" + callId;
    }

    public static String cookie(String callId) {
        return "sid=ck-" + callId;
    }

    public static String custom(String callId) {
        return "xc-" + callId;
    }

    public static String body(String callId) {
        return "body-" + callId;
    }
}
