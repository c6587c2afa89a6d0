package dev.redirectguard.agent;

import dev.redirectguard.config.Mode;
import dev.redirectguard.config.Settings;
import dev.redirectguard.rules.BodyKind;
import dev.redirectguard.rules.Headers;
import dev.redirectguard.rules.Hop;
import dev.redirectguard.rules.NextRequest;
import dev.redirectguard.rules.RedirectRules;
import dev.redirectguard.rules.Target;
import dev.redirectguard.rules.Violation;

import java.net.URI;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Adapts java.net.http's RedirectFilter and HttpRequestImpl to the rules. java.net.http types are
 * touched only in {@link JavaNetHttp}, which these hooks load on 11+, the only JDKs that call them.
 */
final class HttpClientHops {
    static final String CLIENT = "HttpClient";

    /** What RedirectFilter.redirectedMethod saw, for the request built right after it on this thread. */
    private static final class MethodStep {
        final int status;
        final String method;
        final String jdkMethod;

        MethodStep(int status, String method, String jdkMethod) {
            this.status = status;
            this.method = method;
            this.jdkMethod = jdkMethod;
        }
    }

    private final GuardState state;
    private final Reporter reporter;
    private final ThreadLocal<MethodStep> methodStep = new ThreadLocal<MethodStep>();
    /** Publisher to use for the request being built on this thread; absent = keep the JDK's. */
    private final ThreadLocal<Object[]> publisherChoice = new ThreadLocal<Object[]>();
    /**
     * Who sent each request, carried along the hops: the sending thread, whose stack is read only
     * when a hop breaks a rule (see {@link #callerFrame}), or, once {@link #framesAtSend}, the
     * application frame itself.
     */
    private final WeakIdentityMap<Object, Object> callers = new WeakIdentityMap<Object, Object>();
    /**
     * Set when a hop broke a rule after its sender had stopped waiting for the response
     * (sendAsync with callbacks), so that its stack no longer showed the call. From then on each
     * request's application frame is taken as it is sent, the one moment it is on a stack: a
     * stack walk per HttpClient request, paid only in a JVM that has such hops.
     */
    private volatile boolean framesAtSend;

    HttpClientHops(GuardState state, Reporter reporter) {
        this.state = state;
        this.reporter = reporter;
    }

    void exchangeStarted(Object request) {
        if (state.settings().mode() != Mode.OFF) {
            Object sender = framesAtSend ? StackWalker.getInstance().walk(new FirstApplicationFrame())
                    : Thread.currentThread();
            if (sender != null) {
                callers.put(request, sender);
            }
        }
    }

    /** A class, not a lambda: a lambda's first use would start the JVM's method-handle machinery. */
    private static final class FirstApplicationFrame
            implements java.util.function.Function<java.util.stream.Stream<StackWalker.StackFrame>, String> {
        @Override
        public String apply(java.util.stream.Stream<StackWalker.StackFrame> frames) {
            java.util.Iterator<StackWalker.StackFrame> it = frames.iterator();
            while (it.hasNext()) {
                StackWalker.StackFrame f = it.next();
                if (!CallerFrames.skipped(f.getClassName())) {
                    return CallerFrames.format(f.getClassName(), f.getMethodName(), f.getFileName(), f.getLineNumber());
                }
            }
            return null;
        }
    }

    /**
     * The application frame that sent the request whose hop this is: the hops run on the client's
     * executor, but a caller of {@code send} (or of {@code sendAsync(...).join()}) is still waiting
     * inside it, so its own stack shows the call. A caller that is not waiting (sendAsync with
     * callbacks) gives no frame, and turns on {@link #framesAtSend} for the requests to come.
     */
    private String callerFrame(Object request) {
        Object sender = request == null ? null : callers.get(request);
        if (sender instanceof String) {
            return (String) sender;
        }
        Thread caller = (Thread) sender;
        if (caller == null || caller == Thread.currentThread()) {
            return caller == null ? null : CallerFrames.firstApplicationFrame(new Throwable().getStackTrace());
        }
        StackTraceElement[] stack = caller.getStackTrace();
        for (StackTraceElement e : stack) {
            String c = e.getClassName();
            if (c.equals("jdk.internal.net.http.HttpClientImpl") || c.equals("java.util.concurrent.CompletableFuture")) {
                return CallerFrames.firstApplicationFrame(stack);
            }
        }
        framesAtSend = true;
        return null;
    }

    String redirectedMethod(String jdkMethod, int status, String method) {
        Settings settings = state.settings();
        methodStep.set(new MethodStep(status, method, jdkMethod));
        if (settings.mode() != Mode.ENFORCE || !RedirectRules.isRedirect(status)) {
            return jdkMethod;
        }
        return RedirectRules.expectedMethod(status, method, settings.policy());
    }

    /**
     * Rule 6. In enforce the hop ends here, so it is reported here, with the caller where the
     * filter keeps the request (not on 21); in audit it goes on and the request it builds reports it.
     */
    boolean canRedirect(boolean jdkAnswer, URI from, URI to, Object request) {
        Settings settings = state.settings();
        if (!jdkAnswer || settings.mode() == Mode.OFF || from == null || to == null
                || !"https".equalsIgnoreCase(from.getScheme()) || !"http".equalsIgnoreCase(to.getScheme())) {
            return jdkAnswer;
        }
        MethodStep step = methodStep.get();
        if (step == null) {
            return jdkAnswer; // canRedirect outside handleResponse: not a hop we know
        }
        Hop hop = new Hop(step.status, step.method, BodyKind.NONE, Target.of(from), Target.of(to),
                Collections.<String>emptyList());
        NextRequest jdk = NextRequest.follow(step.jdkMethod, false, false, Collections.<String>emptyList());
        List<Violation> v = RedirectRules.violations(hop, jdk, settings.policy());
        if (settings.mode() != Mode.ENFORCE) {
            return true; // reported by redirectHeaders, which knows the caller
        }
        reporter.report(CLIENT, settings, hop, jdk, NextRequest.returned(), v, Reporter.REFUSED,
                callerFrame(request));
        return false;
    }

    Object redirectHeaders(Object request, Object previousRequest, Object headers, Object previousHeaders,
                           Object publisher, Object previousPublisher, URI from, URI to, String previousMethod,
                           String method) {
        MethodStep step = methodStep.get();
        methodStep.remove();
        publisherChoice.remove();
        Settings settings = state.settings();
        if (settings.mode() == Mode.OFF || step == null || !RedirectRules.isRedirect(step.status)) {
            return headers;
        }
        Map<String, List<String>> previous = JavaNetHttp.map(previousHeaders);
        Map<String, List<String>> now = JavaNetHttp.map(headers);
        BodyKind body = JavaNetHttp.hasBody(previousPublisher) ? BodyKind.BUFFERED : BodyKind.NONE;
        Hop hop = new Hop(step.status, previousMethod, body, Target.of(from), Target.of(to), previous.keySet());
        Object sender = callers.get(previousRequest);
        if (sender != null) {
            callers.put(request, sender);
        }
        if (hop.downgrade()) {
            // Followed, so not enforcing: audit reports it here, with the caller (rule 6 only).
            NextRequest jdkFollows = NextRequest.follow(step.jdkMethod, false, false, Collections.<String>emptyList());
            reporter.report(CLIENT, settings, hop, jdkFollows, NextRequest.returned(),
                    RedirectRules.violations(hop, jdkFollows, settings.policy()), Reporter.OBSERVED,
                    callerFrame(request));
            return headers;
        }
        NextRequest jdk = NextRequest.follow(step.jdkMethod, JavaNetHttp.hasBody(publisher), hasBodyHeader(now),
                now.keySet());
        NextRequest expected = RedirectRules.expected(hop, settings.policy());
        List<Violation> violations = RedirectRules.violations(hop, jdk, settings.policy());
        if (violations.isEmpty()) {
            return headers;
        }
        String frame = callerFrame(request);
        if (settings.mode() == Mode.AUDIT) {
            reporter.report(CLIENT, settings, hop, jdk, expected, violations, Reporter.OBSERVED, frame);
            return headers;
        }
        publisherChoice.set(new Object[] {expected.body() ? (publisher != null ? publisher : previousPublisher) : null});
        Map<String, List<String>> kept = new LinkedHashMap<String, List<String>>();
        for (Map.Entry<String, List<String>> e : now.entrySet()) {
            String name = e.getKey();
            boolean drop = (!expected.bodyHeaders() && Headers.isBodyHeader(name))
                    || (!hop.sameOrigin() && settings.policy().strips(name));
            if (!drop) {
                kept.put(name, e.getValue());
            }
        }
        reporter.report(CLIENT, settings, hop, jdk, expected, violations, Reporter.CORRECTED, frame);
        return JavaNetHttp.headersOf(kept);
    }

    Object redirectPublisher(Object publisher) {
        Object[] choice = publisherChoice.get();
        publisherChoice.remove();
        return choice == null ? publisher : choice[0];
    }

    private static boolean hasBodyHeader(Map<String, List<String>> headers) {
        for (String name : headers.keySet()) {
            if (Headers.isBodyHeader(name)) {
                return true;
            }
        }
        return false;
    }
}
