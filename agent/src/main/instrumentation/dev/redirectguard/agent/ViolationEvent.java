package dev.redirectguard.agent;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;

/**
 * One broken redirect rule, as a JFR event, so JDK Mission Control shows it beside the request
 * (same thread, same time, with the stack). Same fields as the log line, nothing more: names,
 * status, sanitized URLs, a frame. Loaded only on JVMs with jdk.jfr (11+, 8u262+), once JFR runs.
 */
@Name("dev.redirectguard.Violation")
@Label("Redirect Rule Violation")
@Category({"redirect-guard"})
@Description("A redirect hop that breaks an RFC 9110 rule: observed (audit), corrected or refused (enforce)")
final class ViolationEvent extends Event {
    @Label("Rule")
    String rule;
    @Label("Client")
    String client;
    @Label("Mode")
    String mode;
    @Label("Action")
    String action;
    @Label("Scope")
    @Description("Why an enforce JVM only observed the hop: rule, target or caller; null otherwise")
    String scope;
    @Label("Status")
    int status;
    @Label("Method")
    String method;
    @Label("JDK Next Method")
    String jdkMethod;
    @Label("Expected Next Method")
    String expectedMethod;
    @Label("From")
    String from;
    @Label("To")
    String to;
    @Label("Caller")
    String caller;
    @Label("Caller Not Read")
    @Description("The caller was not read: one of a flood of violations whose callers are sampled; caller is null")
    boolean callerUnread;
    @Label("Detail")
    String detail;
}
