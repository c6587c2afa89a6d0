package dev.redirectguard.it.sequence;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Generates a plan from a seed: sequences of 2-6 steps over shared and new clients; each call a
 * chain of 0-3 redirects (301 302 303 307 308, with 300 304 305 and 3xx without Location as
 * noise) across origins A, A2 (same port, another host), B (another port) and, for HttpClient,
 * S (https), ending in 200, 404, a 303 loop up to the redirect limit, a body cut off, a reset
 * connection (HttpURLConnection) or a path that never answers (HttpClient's sendAsync, cancelled
 * once the servers have the request). Any path may answer 401 until Basic credentials come, in
 * protection spaces shared by all sequences ({@code /p0/}..{@code /p5/}: the JDK's caches answer
 * later visits preemptively) or new ones ({@code /s<seq>/}, {@code /f<seq>x<step>/}: a 401 for
 * sure); proxy clients go through P or PA (407 until Basic). Read and request timeouts run as
 * calls of their own in the background, on origin T. Steps with calls at once touch no state
 * that would make an outcome depend on thread timing: no 401/407, no Set-Cookie.
 * The same seed gives the same plan on every JVM.
 */
public final class Generator {
    /**
     * The timeout of a call whose chain ends at a path that never answers. Generous, so that no
     * earlier hop of the call can reach it on a loaded machine; the call runs in the background
     * (on origin T, a host no other call uses, so no state of other calls meets it), so the wait
     * costs nothing.
     */
    static final int TIMEOUT_MILLIS = 1000;

    private final Random rnd;
    private final boolean huc;
    private final List<Plan.ClientSpec> clients = new ArrayList<>();
    /** Clients of one call only (the timeout calls'). */
    private final Set<String> solo = new java.util.HashSet<>();
    private final Set<Integer> timeoutSequences = new java.util.HashSet<>();

    private Generator(String api, long seed, int count) {
        this.huc = api.equals(Plan.HUC);
        // The same seed gives each API its own, but fixed, stream.
        this.rnd = new Random(seed * 31 + (huc ? 1 : 2));
        // One timeout call per ten sequences (at least one), never in the first two, where the
        // child JVM still loads the client's classes (no earlier hop of a timeout call should
        // come anywhere near its timeout), and early, so that its wait passes while the plan runs.
        int timeouts = Math.max(1, count / 10);
        List<Integer> candidates = new ArrayList<>();
        for (int i = Math.min(2, count - 1); i < Math.max(Math.min(3, count), count / 3); i++) {
            candidates.add(i);
        }
        java.util.Collections.shuffle(candidates, rnd);
        timeoutSequences.addAll(candidates.subList(0, Math.min(timeouts, candidates.size())));
    }

    public static Plan generate(String api, long seed, int count) {
        Generator g = new Generator(api, seed, count);
        List<Plan.Sequence> sequences = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            sequences.add(g.sequence(i));
        }
        return new Plan(api, seed, List.copyOf(g.clients), sequences);
    }

    /**
     * Each sequence leans one way, so that state meets state: short chains or long ones; many
     * redirect limits and 3xx without Location or few; protected paths in the directories all
     * sequences share ({@code /p0/}..{@code /p5/}, where the caches answer for later visits) or
     * in its own ({@code /s<seq>/}, first visits, each a 401).
     */
    private boolean shortChains;
    private boolean loopy;
    private String ownDir;

    private Plan.Sequence sequence(int seq) {
        shortChains = chance(0.4);
        loopy = chance(0.4);
        ownDir = "s" + seq;
        Plan.ClientSpec main = client(false);
        int steps = 2 + rnd.nextInt(5);
        int timeoutStep = timeoutSequences.contains(seq) ? rnd.nextInt(steps) : -1;
        List<Plan.Step> list = new ArrayList<>();
        for (int s = 0; s < steps; s++) {
            if (s == timeoutStep) {
                list.add(new Plan.Step(seq, s, false, List.of(timeoutCall(seq, s, 0))));
                continue;
            }
            boolean parallel = chance(0.15);
            List<Plan.Call> calls = new ArrayList<>();
            if (parallel) {
                Plan.ClientSpec c = parallelSafe(main) ? main : client(true);
                int n = 2 + rnd.nextInt(2);
                for (int k = 0; k < n; k++) {
                    calls.add(call(seq, s, k, c, true));
                }
            } else {
                calls.add(call(seq, s, 0, chance(0.8) ? main : client(false), false));
            }
            list.add(new Plan.Step(seq, s, parallel, calls));
        }
        return new Plan.Sequence(seq, list);
    }

    private static boolean parallelSafe(Plan.ClientSpec c) {
        return !c.option("proxy").equals("PA");
    }

    private Plan.ClientSpec client(boolean forParallel) {
        List<Plan.ClientSpec> eligible = clients.stream()
                .filter(c -> !solo.contains(c.id()) && (!forParallel || parallelSafe(c))).toList();
        if (!eligible.isEmpty() && chance(0.55)) {
            return eligible.get(rnd.nextInt(eligible.size()));
        }
        Map<String, String> o = new LinkedHashMap<>();
        if (!huc) {
            o.put("policy", chance(0.7) ? "NORMAL" : "ALWAYS");
            o.put("executor", pick("default", 35, "one", 40, "few", 25));
            o.put("auth", chance(0.75) ? "1" : "0");
        }
        o.put("cookies", chance(0.35) ? "1" : "0");
        String proxy = pick("-", 80, "P", 10, "PA", 10);
        if (forParallel && proxy.equals("PA")) {
            proxy = "P";
        }
        o.put("proxy", proxy);
        Plan.ClientSpec c = new Plan.ClientSpec("c" + clients.size(), o);
        clients.add(c);
        return c;
    }

    /**
     * Clients whose last call ended at a 3xx not followed (the redirect limit, no Location): their
     * next call more often than not goes straight to a path that asks for credentials, so that
     * whatever such a hop leaves behind meets an authentication retry.
     */
    private final java.util.Set<String> endedUnfollowed = new java.util.HashSet<>();

    private Plan.Call call(int seq, int step, int k, Plan.ClientSpec client, boolean parallel) {
        String id = seq + "." + step + "." + k;
        boolean proxied = !client.option("proxy").equals("-");
        boolean afterUnfollowed = !parallel && endedUnfollowed.remove(client.id()) && chance(0.75);
        String method = afterUnfollowed ? pick("POST", 50, "PUT", 25, huc ? "DELETE" : "PATCH", 25)
                : huc ? pick("GET", 25, "HEAD", 8, "POST", 30, "PUT", 15, "DELETE", 10, "OPTIONS", 7)
                : pick("GET", 22, "HEAD", 8, "POST", 28, "PUT", 14, "DELETE", 8, "PATCH", 12, "OPTIONS", 6);
        boolean bodyless = method.equals("GET") || method.equals("HEAD");
        String body;
        if (huc) {
            // GET with output would become POST, HEAD with output fails: HttpURLConnection allows neither.
            body = bodyless ? "none" : pick("none", 20, "buffered", 45, "fixed", 17, "chunked", 18);
        } else {
            body = bodyless ? pick("none", 90, "string", 10) : pick("none", 15, "string", 35, "bytes", 25, "stream", 25);
        }
        boolean contentType = body.equals("none") ? chance(0.1) : chance(0.75);
        Set<String> headers = new LinkedHashSet<>();
        if (chance(0.5)) {
            headers.add("auth");
        }
        if (chance(0.4)) {
            headers.add("cookie");
        }
        if (chance(0.6)) {
            headers.add("custom");
        }

        // The chain: 0-3 redirects, then the final answer. Each path's directory is drawn first.
        int hops = afterUnfollowed ? 0 : shortChains ? pickInt(0, 40, 1, 40, 2, 15, 3, 5) : pickInt(0, 10, 1, 40, 2, 30, 3, 20);
        String[] names = new String[hops + 1];
        boolean[] protect = new boolean[hops + 1];
        for (int h = 0; h <= hops; h++) {
            protect[h] = afterUnfollowed || (!parallel && chance(h < hops ? 0.15 : hops == 0 ? 0.4 : 0.2));
            // After an unfollowed 3xx: a directory of its own, so a first visit (a 401) for sure.
            String dir = !protect[h] ? "q" : afterUnfollowed ? "f" + seq + "x" + step : chance(0.5) ? ownDir
                    : "p" + pickInt(0, 30, 1, 20, 2, 15, 3, 15, 4, 10, 5, 10);
            names[h] = "/" + dir + "/" + seq + "-" + step + "-" + k + "-" + h;
        }
        // https only for HttpClient: its first handshake is cheap there, and https to http is its rule
        // (HttpURLConnection never follows a change of scheme; RedirectMatrixIT covers it over https).
        boolean https = !huc && !proxied;
        String origin = https ? pick("A", 75, "A2", 5, "B", 12, "S", 8) : pick("A", 70, "A2", 10, "B", 20);
        List<PathScript> paths = new ArrayList<>();
        PathScript.Kind finalKind = null;
        // Once a hop may be followed in one mode and not in another (a 308 of HttpURLConnection,
        // any hop of a streamed body, https to http), the paths after it change no state that
        // later calls see (cookies, authentication caches): else a correct enforce run would
        // legitimately differ from the run without the agent in every later call.
        boolean divergent = false;
        boolean streamed = body.equals("fixed") || body.equals("chunked");
        for (int h = 0; h <= hops; h++) {
            if (divergent) {
                protect[h] = false;
                names[h] = names[h].replaceFirst("^/[a-pr-z][a-z0-9]*/", "/q/");
            }
            String cookie = !parallel && !divergent && chance(0.12) ? "jc=v" + seq + "-" + step + "-" + k + "-" + h : null;
            if (h < hops) {
                String status = pick("301", 10, "302", 10, "303", 16, "307", 16, "308", 16, "300", 3, "304", 2,
                        "305", proxied ? 0 : 2, "noloc", loopy ? 10 : 3);
                if (status.equals("noloc")) {
                    int s = Integer.parseInt(pick("301", 1, "302", 1, "303", 2, "307", 1, "308", 1));
                    paths.add(new PathScript(names[h], origin, PathScript.Kind.REDIRECT, s, null, null, protect[h], cookie));
                    break;
                }
                String next = pick("same", 45, "other", 45, "S", https ? 10 : 0);
                String nextOrigin = next.equals("same") ? origin : next.equals("S") ? "S" : other(origin);
                divergent |= (huc && status.equals("308")) || streamed || (origin.equals("S") && !nextOrigin.equals("S"));
                if (divergent) {
                    names[h + 1] = names[h + 1].replaceFirst("^/[a-pr-z][a-z0-9]*/", "/q/");
                }
                paths.add(new PathScript(names[h], origin, PathScript.Kind.REDIRECT, Integer.parseInt(status), nextOrigin,
                        names[h + 1], protect[h], cookie));
                origin = nextOrigin;
                continue;
            }
            finalKind = PathScript.Kind.valueOf(huc
                    ? pick("OK", 72, "NOT_FOUND", 5, "LOOP", loopy ? 25 : 6, "TRUNCATE", 4, "DROP", 4)
                    : pick("OK", 70, "NOT_FOUND", 5, "LOOP", loopy ? 25 : 6, "TRUNCATE", 4, "HANG", parallel ? 0 : 8));
            paths.add(new PathScript(names[h], origin, finalKind, finalKind == PathScript.Kind.LOOP ? 303 : 0, null, null,
                    protect[h], finalKind == PathScript.Kind.OK ? cookie : null));
        }

        String invocation = huc ? "-" : finalKind == PathScript.Kind.HANG ? "cancel" : chance(0.65) ? "send" : "async";
        boolean reuse = huc && chance(0.25);
        PathScript last = paths.get(paths.size() - 1);
        if (!parallel && (last.kind() == PathScript.Kind.LOOP || (last.kind() == PathScript.Kind.REDIRECT && !last.hasLocation()))) {
            endedUnfollowed.add(client.id());
        }
        return new Plan.Call(id, seq, step, client.id(), method, body, contentType, Set.copyOf(headers), invocation,
                0, reuse, false, List.copyOf(paths));
    }

    /**
     * A call whose last hop never answers, ended by its read (HttpURLConnection) or request
     * (HttpClient) timeout: 1-2 redirects within origin T, with a client of its own (no state
     * shared with other calls), in the background until the plan ends.
     */
    private Plan.Call timeoutCall(int seq, int step, int k) {
        Map<String, String> o = new LinkedHashMap<>();
        if (!huc) {
            o.put("policy", chance(0.7) ? "NORMAL" : "ALWAYS");
            o.put("executor", pick("default", 35, "one", 40, "few", 25));
            o.put("auth", "0");
        }
        o.put("cookies", "0");
        o.put("proxy", "-");
        Plan.ClientSpec client = new Plan.ClientSpec("t" + clients.size(), o);
        clients.add(client);
        solo.add(client.id());
        String method = huc ? pick("GET", 30, "POST", 30, "PUT", 20, "DELETE", 20)
                : pick("GET", 30, "POST", 30, "PUT", 20, "PATCH", 20);
        boolean bodyless = method.equals("GET");
        String body = bodyless ? "none" : huc ? "buffered" : pick("string", 1, "bytes", 1, "stream", 1);
        int hops = 1 + rnd.nextInt(2);
        List<PathScript> paths = new ArrayList<>();
        for (int h = 0; h <= hops; h++) {
            String path = "/q/" + seq + "-" + step + "-" + k + "-" + h;
            paths.add(h < hops
                    // (HttpURLConnection returns a 308: its calls would never reach the path that hangs.)
                    ? new PathScript(path, "T", PathScript.Kind.REDIRECT, Integer.parseInt(pick("301", 1, "302", 1, "303", 1,
                            "307", 1, "308", huc ? 0 : 1)), "T", "/q/" + seq + "-" + step + "-" + k + "-" + (h + 1), false, null)
                    : new PathScript(path, "T", PathScript.Kind.HANG, 0, null, null, false, null));
        }
        Set<String> headers = chance(0.5) ? Set.of("custom", "auth") : Set.of("custom");
        return new Plan.Call(seq + "." + step + "." + k, seq, step, client.id(), method, body, !bodyless, headers,
                huc ? "-" : chance(0.5) ? "send" : "async", TIMEOUT_MILLIS, huc && chance(0.5), true, List.copyOf(paths));
    }

    private String other(String origin) {
        List<String> others = new ArrayList<>(List.of("A", "A2", "B"));
        others.remove(origin);
        return others.get(rnd.nextInt(others.size()));
    }

    private boolean chance(double p) {
        return rnd.nextDouble() < p;
    }

    /** Weighted choice: value, weight, value, weight, ... */
    private String pick(Object... valuesAndWeights) {
        int total = 0;
        for (int i = 1; i < valuesAndWeights.length; i += 2) {
            total += (Integer) valuesAndWeights[i];
        }
        int r = rnd.nextInt(total);
        for (int i = 0; i < valuesAndWeights.length; i += 2) {
            r -= (Integer) valuesAndWeights[i + 1];
            if (r < 0) {
                return (String) valuesAndWeights[i];
            }
        }
        throw new IllegalStateException();
    }

    private int pickInt(int... valuesAndWeights) {
        Object[] o = new Object[valuesAndWeights.length];
        for (int i = 0; i < valuesAndWeights.length; i++) {
            o[i] = i % 2 == 0 ? String.valueOf(valuesAndWeights[i]) : valuesAndWeights[i];
        }
        return Integer.parseInt(pick(o));
    }
}
