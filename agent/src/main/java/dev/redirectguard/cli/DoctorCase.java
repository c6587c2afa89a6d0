package dev.redirectguard.cli;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One request of the doctor: a client, a method with or without a body, a redirect status and
 * where the redirect points; and what RFC 9110 asks of its next request.
 *
 * <p>The expectation is written here from RFC 9110 (15.4 and 15.4.2-15.4.9, with the agent's
 * defaults {@code legacyPostRedirect=get}, {@code stripOnCrossOrigin=Authorization;Cookie}), not
 * taken from the agent's rule engine ({@code dev.redirectguard.rules}): the doctor checks the
 * agent as a whole, and an engine that got a rule wrong would otherwise agree with itself.
 */
final class DoctorCase {
    enum Client {
        URL_CONNECTION("HttpURLConnection"), HTTP_CLIENT("HttpClient");

        final String displayName;

        Client(String displayName) {
            this.displayName = displayName;
        }
    }

    /** Where the redirect points, seen from the start URL. */
    enum Target {
        SAME_ORIGIN(""),
        OTHER_HOST(" to another host"),
        OTHER_PORT(" to another port"),
        /** Starts on the https server, points to the http one. */
        HTTPS_TO_HTTP(" https to http");

        final String label;

        Target(String label) {
            this.label = label;
        }
    }

    /** What the caller should end with. */
    enum Outcome {
        /** The next request goes to the target; the caller gets its 200. */
        FOLLOW,
        /** Not followed: the caller gets the 3xx. */
        RETURNED,
        /** Not followed: HttpURLConnection cannot send a streamed body again and throws HttpRetryException. */
        RETRY_EXCEPTION
    }

    final String id;
    final Client client;
    final String method;
    /** none | buffered | fixed | chunked (HttpURLConnection); none | string | input-stream (HttpClient). */
    final String body;
    final int status;
    final Target target;
    /** HttpClient's {@code Redirect.ALWAYS} instead of {@code NORMAL}. */
    final boolean always;

    DoctorCase(String id, Client client, String method, String body, int status, Target target, boolean always) {
        this.id = id;
        this.client = client;
        this.method = method;
        this.body = body;
        this.status = status;
        this.target = target;
        this.always = always;
    }

    boolean hasBody() {
        return !body.equals("none");
    }

    /** A body HttpURLConnection has sent already and keeps no copy of. */
    boolean streamed() {
        return body.equals("fixed") || body.equals("chunked");
    }

    boolean sameOrigin() {
        return target == Target.SAME_ORIGIN;
    }

    /** E.g. "POST 308", "PUT 303 fixed-length", "GET 302 https to http (ALWAYS)". */
    String label() {
        String b = body.equals("fixed") ? " fixed-length" : body.equals("chunked") ? " chunked"
                : body.equals("input-stream") ? " input-stream" : "";
        return method + " " + status + b + target.label + (always ? " (ALWAYS)" : "");
    }

    /** RFC 9110: what must happen next. */
    Outcome outcome() {
        if (target == Target.HTTPS_TO_HTTP) {
            return Outcome.RETURNED; // 4.2.2, 17.1: never from https to http
        }
        return keepsBody() && streamed() ? Outcome.RETRY_EXCEPTION : Outcome.FOLLOW;
    }

    /** RFC 9110: the method of the next request. */
    String nextMethod() {
        if (status == 303) {
            return method.equals("HEAD") ? "HEAD" : "GET"; // 15.4.4
        }
        if ((status == 301 || status == 302) && method.equals("POST")) {
            return "GET"; // 15.4.2, 15.4.3: allowed, and what legacyPostRedirect=get asks
        }
        return method; // 15.4.8, 15.4.9 (307, 308) and 301/302 for other methods
    }

    /** The body, and with it Content-Type, goes again exactly when the method is kept, never after 303. */
    boolean keepsBody() {
        return hasBody() && status != 303 && nextMethod().equals(method);
    }

    /** The case list line the child reads (dev.redirectguard.doctor.child.DoctorCase). */
    String line(String url) {
        return "case\t" + id + '\t' + client.displayName + '\t' + method + '\t' + body + '\t'
                + (client == Client.HTTP_CLIENT ? (always ? "always" : "normal") : "-") + '\t' + url;
    }

    /**
     * The cases: per rule, the few that show it, for both clients. Each rule is checked on every
     * case it governs (see {@link DoctorRule#governs}), so a case counts for more than one rule.
     */
    static List<DoctorCase> all() {
        List<DoctorCase> cases = new ArrayList<DoctorCase>();
        Client u = Client.URL_CONNECTION;
        Client h = Client.HTTP_CLIENT;
        Target same = Target.SAME_ORIGIN;
        // same-method-307-308: HttpURLConnection never follows 308.
        add(cases, u, "GET", "none", 308, same);
        add(cases, u, "POST", "buffered", 307, same);
        add(cases, u, "POST", "buffered", 308, same);
        add(cases, u, "PUT", "buffered", 308, same);
        add(cases, h, "GET", "none", 308, same);
        add(cases, h, "POST", "string", 307, same);
        add(cases, h, "POST", "string", 308, same);
        add(cases, h, "PUT", "string", 308, same);
        // get-after-303: HttpURLConnection keeps PUT/DELETE; HttpClient makes HEAD a GET, keeps Content-Type.
        add(cases, u, "PUT", "buffered", 303, same);
        add(cases, u, "DELETE", "none", 303, same);
        add(cases, u, "HEAD", "none", 303, same);
        add(cases, u, "PUT", "fixed", 303, same);
        add(cases, h, "POST", "string", 303, same);
        add(cases, h, "PUT", "string", 303, same);
        add(cases, h, "DELETE", "none", 303, same);
        add(cases, h, "HEAD", "none", 303, same);
        // post-after-301-302 and same-origin-headers: POST becomes GET; other methods stay.
        add(cases, u, "POST", "buffered", 302, same);
        add(cases, u, "POST", "chunked", 301, same);
        add(cases, u, "PUT", "buffered", 301, same);
        add(cases, h, "POST", "string", 301, same);
        add(cases, h, "POST", "string", 302, same);
        add(cases, h, "PUT", "string", 302, same);
        // cross-origin-strip: another host (localhost) and another port.
        add(cases, u, "GET", "none", 307, Target.OTHER_HOST);
        add(cases, u, "POST", "buffered", 307, Target.OTHER_PORT);
        add(cases, u, "POST", "buffered", 302, Target.OTHER_HOST);
        add(cases, h, "GET", "none", 307, Target.OTHER_HOST);
        add(cases, h, "POST", "string", 307, Target.OTHER_PORT);
        add(cases, h, "POST", "string", 302, Target.OTHER_HOST);
        // streamed-body: HttpURLConnection cannot send a streamed body again; HttpClient can.
        add(cases, u, "POST", "fixed", 307, same);
        add(cases, u, "POST", "chunked", 308, same);
        add(cases, h, "POST", "input-stream", 307, same);
        // no-https-downgrade: HttpClient with Redirect.ALWAYS follows https to http.
        add(cases, u, "GET", "none", 302, Target.HTTPS_TO_HTTP);
        add(cases, u, "POST", "buffered", 307, Target.HTTPS_TO_HTTP);
        cases.add(new DoctorCase("h" + cases.size(), h, "GET", "none", 302, Target.HTTPS_TO_HTTP, false));
        cases.add(new DoctorCase("h" + cases.size(), h, "GET", "none", 302, Target.HTTPS_TO_HTTP, true));
        cases.add(new DoctorCase("h" + cases.size(), h, "POST", "string", 307, Target.HTTPS_TO_HTTP, true));
        return Collections.unmodifiableList(cases);
    }

    private static void add(List<DoctorCase> cases, Client client, String method, String body, int status, Target target) {
        String id = (client == Client.URL_CONNECTION ? "u" : "h") + cases.size();
        cases.add(new DoctorCase(id, client, method, body, status, target, false));
    }
}
