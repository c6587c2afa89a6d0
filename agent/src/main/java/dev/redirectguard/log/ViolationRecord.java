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
    public final int status;
    public final String method;
    public final String jdkMethod;
    public final String expectedMethod;
    public final String from;
    public final String to;
    public final String caller;
    public final String thread;
    public final String detail;

    public ViolationRecord(long epochMillis, String rule, String client, String mode, String action, int status,
                           String method, String jdkMethod, String expectedMethod, String from, String to,
                           String caller, String thread, String detail) {
        this.epochMillis = epochMillis;
        this.rule = rule;
        this.client = client;
        this.mode = mode;
        this.action = action;
        this.status = status;
        this.method = method;
        this.jdkMethod = jdkMethod;
        this.expectedMethod = expectedMethod;
        this.from = from;
        this.to = to;
        this.caller = caller;
        this.thread = thread;
        this.detail = detail;
    }
}
