package dev.redirectguard.cli;

import java.util.Collections;
import java.util.List;

/** One case in one run: what the caller ended with, and what the start and target URLs received. */
final class Observation {
    static final String CONTENT_TYPE = CallerValues.CONTENT_TYPE;

    /** One request as a server received it: only what the rules talk about, and the Host it was sent to. */
    static final class Request {
        final String method;
        final String host;
        /** ISO-8859-1, so that any bytes compare. */
        final String body;
        final String contentType;
        final String authorization;
        final String cookie;
        final String custom;

        Request(String method, String host, String body, String contentType, String authorization, String cookie,
                String custom) {
            this.method = method;
            this.host = host;
            this.body = body;
            this.contentType = contentType;
            this.authorization = authorization;
            this.cookie = cookie;
            this.custom = custom;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Request)) {
                return false;
            }
            Request r = (Request) o;
            return method.equals(r.method) && eq(host, r.host) && body.equals(r.body) && eq(contentType, r.contentType)
                    && eq(authorization, r.authorization) && eq(cookie, r.cookie) && eq(custom, r.custom);
        }

        @Override
        public int hashCode() {
            return method.hashCode() * 31 + body.hashCode();
        }

        /** For reports: names and sizes, never the values. */
        @Override
        public String toString() {
            StringBuilder b = new StringBuilder(method);
            if (!body.isEmpty()) {
                b.append(" body ").append(body.length()).append(" bytes");
            }
            for (String[] h : new String[][] {{"Content-Type", contentType}, {"Authorization", authorization},
                {"Cookie", cookie}, {"X-Custom", custom}}) {
                if (h[1] != null) {
                    b.append(' ').append(h[0]);
                }
            }
            return b.toString();
        }

        private static boolean eq(String a, String b) {
            return a == null ? b == null : a.equals(b);
        }
    }

    /** A status code, an exception's class name, "unavailable" (no java.net.http), or "no result". */
    final String caller;
    final String detail;
    final List<Request> start;
    final List<Request> target;

    Observation(String caller, String detail, List<Request> start, List<Request> target) {
        this.caller = caller;
        this.detail = detail;
        this.start = Collections.unmodifiableList(start);
        this.target = Collections.unmodifiableList(target);
    }

    Request onlyTargetRequest() {
        return target.size() == 1 ? target.get(0) : null;
    }

    /** "308", "HttpRetryException", "ConnectException: Connection refused". */
    String callerShort() {
        if (caller.matches("\\d+")) {
            return caller;
        }
        String simple = caller.substring(caller.lastIndexOf('.') + 1);
        return simple.equals("HttpRetryException") || detail.isEmpty() ? simple : simple + ": " + detail;
    }

    /** Same caller result, same requests at both URLs. */
    boolean sameAs(Observation o) {
        return caller.equals(o.caller) && start.equals(o.start) && target.equals(o.target);
    }

    /** For a report line: "308; start got POST body 27 bytes ...; target got nothing". */
    String describe() {
        return "caller got " + callerShort() + "; start got " + (start.isEmpty() ? "nothing" : start)
                + "; target got " + (target.isEmpty() ? "nothing" : target);
    }
}
