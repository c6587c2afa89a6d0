package dev.redirectguard.log;

/**
 * One log line: a rule one hop broke, and what was done about it. Holds only what may be logged:
 * method names, status, sanitized URLs (no userinfo, query or fragment), a stack frame, header names.
 */
public final class ViolationRecord {
    public final long epochMillis;
    public final String rule;
    public final String client;
    public final String mode;
    public final String action;
    /**
     * Why an enforce JVM only observed this hop: "rule", "target" or "caller" (out of the enforce
     * scope of that setting); null when the hop was in scope, and in audit.
     */
    public final String scope;
    public final int status;
    public final String method;
    public final String jdkMethod;
    public final String expectedMethod;
    public final String from;
    public final String to;
    /** The application frame; null when unknown, or when not read ({@link #callerUnread}). */
    public final String caller;
    /**
     * The caller was not read: one of more violations a second by this client to this origin than
     * {@link CallerSampling} reads callers for. Only with collapsed lines.
     */
    public final boolean callerUnread;
    public final String thread;
    public final String detail;

    /** A violation with no scope: in audit, or in an enforce JVM whose scope held the hop. */
    public ViolationRecord(long epochMillis, String rule, String client, String mode, String action, int status,
                           String method, String jdkMethod, String expectedMethod, String from, String to,
                           String caller, String thread, String detail) {
        this(epochMillis, rule, client, mode, action, null, status, method, jdkMethod, expectedMethod, from, to,
                caller, thread, detail);
    }

    public ViolationRecord(long epochMillis, String rule, String client, String mode, String action, String scope,
                           int status, String method, String jdkMethod, String expectedMethod, String from,
                           String to, String caller, String thread, String detail) {
        this(epochMillis, rule, client, mode, action, scope, status, method, jdkMethod, expectedMethod, from, to,
                caller, false, thread, detail);
    }

    public ViolationRecord(long epochMillis, String rule, String client, String mode, String action, String scope,
                           int status, String method, String jdkMethod, String expectedMethod, String from,
                           String to, String caller, boolean callerUnread, String thread, String detail) {
        this.epochMillis = epochMillis;
        this.rule = rule;
        this.client = client;
        this.mode = mode;
        this.action = action;
        this.scope = scope;
        this.status = status;
        this.method = method;
        this.jdkMethod = jdkMethod;
        this.expectedMethod = expectedMethod;
        this.from = from;
        this.to = to;
        this.caller = caller;
        this.callerUnread = callerUnread;
        this.thread = thread;
        this.detail = detail;
    }
}
