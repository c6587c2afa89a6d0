package dev.redirectguard.it.sequence;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * A generated plan for one client API: the clients and the sequences of steps, each step one
 * call or several calls at once, each call a chain of scripted paths. A child JVM runs all of a
 * plan's sequences in order, so clients (and the JVM's own caches) carry over between them.
 *
 * @param api "HttpURLConnection" or "HttpClient"
 */
public record Plan(String api, long seed, List<ClientSpec> clients, List<Sequence> sequences) {

    public static final String HUC = "HttpURLConnection";
    public static final String HC = "HttpClient";

    /** HttpClient: policy, executor, auth, cookies, proxy; HttpURLConnection: proxy, cookies. */
    public record ClientSpec(String id, Map<String, String> options) {
        public String option(String key) {
            return options.getOrDefault(key, "-");
        }

        public String describe() {
            return id + " " + options.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining(" "));
        }
    }

    /**
     * One request as the caller makes it, and the paths its chain may visit (first: where it is sent).
     *
     * @param body         HttpURLConnection: none, buffered, fixed, chunked; HttpClient: none, string, bytes, stream
     * @param headers      the caller's own headers among auth, cookie, custom
     * @param invocation   HttpClient: send, async, cancel; HttpURLConnection: "-"
     * @param timeoutMillis 0, or the timeout of a call whose chain ends at a path that never answers
     * @param background   runs on its own thread from its step to the end of the plan
     */
    public record Call(String id, int seq, int step, String client, String method, String body, boolean contentType,
                       Set<String> headers, String invocation, int timeoutMillis, boolean reuse, boolean background,
                       List<PathScript> paths) {
        public PathScript start() {
            return paths.get(0);
        }

        public String awaitPath() {
            PathScript last = paths.get(paths.size() - 1);
            return last.kind() == PathScript.Kind.HANG ? last.path() : null;
        }

        public boolean streamed() {
            return body.equals("fixed") || body.equals("chunked");
        }

        public String describe() {
            StringBuilder sb = new StringBuilder("call ").append(id).append(" client ").append(client).append(": ")
                    .append(method).append(" body=").append(body).append(contentType ? " +Content-Type" : "");
            if (!headers.isEmpty()) {
                sb.append(" caller headers=").append(String.join(",", headers));
            }
            if (!invocation.equals("-")) {
                sb.append(" ").append(invocation);
            }
            if (timeoutMillis > 0) {
                sb.append(" timeout=").append(timeoutMillis).append("ms");
            }
            if (background) {
                sb.append(" (in the background until the plan ends)");
            }
            if (reuse) {
                sb.append(" (asked again afterwards)");
            }
            for (PathScript p : paths) {
                sb.append("\n      ").append(p.describe());
            }
            return sb.toString();
        }
    }

    public record Step(int seq, int index, boolean parallel, List<Call> calls) {
    }

    public record Sequence(int index, List<Step> steps) {
        public Set<String> clientIds() {
            Set<String> ids = new LinkedHashSet<>();
            steps.forEach(s -> s.calls().forEach(c -> ids.add(c.client())));
            return ids;
        }
    }

    /** The same plan with only these sequences (and the clients they name). */
    public Plan with(List<Sequence> kept) {
        Set<String> used = new LinkedHashSet<>();
        kept.forEach(s -> used.addAll(s.clientIds()));
        return new Plan(api, seed, clients.stream().filter(c -> used.contains(c.id())).toList(), List.copyOf(kept));
    }

    public Map<String, PathScript> script() {
        Map<String, PathScript> paths = new LinkedHashMap<>();
        calls().forEach(c -> c.paths().forEach(p -> paths.put(p.path(), p)));
        return paths;
    }

    public List<Call> calls() {
        List<Call> calls = new ArrayList<>();
        sequences.forEach(s -> s.steps().forEach(st -> calls.addAll(st.calls())));
        return calls;
    }

    public Map<String, ClientSpec> clientsById() {
        Map<String, ClientSpec> m = new LinkedHashMap<>();
        clients.forEach(c -> m.put(c.id(), c));
        return m;
    }

    /** The plan file a child reads (see SeqPlan). */
    public List<String> toLines(Origins origins, String control, Map<String, String> proxies) {
        List<String> lines = new ArrayList<>();
        lines.add("# " + api + " seed " + seed + ", sequences " + sequences.stream().map(s -> String.valueOf(s.index()))
                .collect(Collectors.joining(",")));
        lines.add("control\t" + control);
        proxies.forEach((name, hostPort) -> lines.add("proxy\t" + name + "\t" + hostPort));
        for (ClientSpec c : clients) {
            lines.add("client\t" + c.id() + c.options().entrySet().stream().map(e -> "\t" + e.getKey() + "=" + e.getValue())
                    .collect(Collectors.joining()));
        }
        for (Sequence s : sequences) {
            for (Step st : s.steps()) {
                lines.add("step\t" + st.seq() + "\t" + st.index() + "\t" + (st.parallel() ? 1 : 0));
                for (Call c : st.calls()) {
                    lines.add(String.join("\t", "call", c.id(), c.client(), c.method(), c.body(), c.contentType() ? "1" : "0",
                            c.headers().isEmpty() ? "-" : String.join(",", c.headers()), c.invocation(),
                            String.valueOf(c.timeoutMillis()), c.reuse() ? "1" : "0",
                            c.awaitPath() == null ? "-" : c.awaitPath(), c.background() ? "1" : "0",
                            origins.url(c.start().origin(), c.start().path())));
                }
            }
        }
        return lines;
    }

    /** For failure reports: the clients, then every step and call with its scripted paths. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        for (ClientSpec c : clients) {
            sb.append("  client ").append(c.describe()).append('\n');
        }
        for (Sequence s : sequences) {
            sb.append("  sequence ").append(s.index()).append('\n');
            for (Step st : s.steps()) {
                sb.append("    step ").append(st.seq()).append('.').append(st.index())
                        .append(st.parallel() ? " (calls at once)" : "").append('\n');
                for (Call c : st.calls()) {
                    sb.append("      ").append(c.describe().replace("\n", "\n  ")).append('\n');
                }
            }
        }
        return sb.toString();
    }
}
