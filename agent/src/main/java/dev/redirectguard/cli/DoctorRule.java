package dev.redirectguard.cli;

import dev.redirectguard.cli.DoctorCase.Outcome;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The rules of README's Rules table, as the doctor checks them: which cases each governs, and
 * what is wrong with a case's observation for it. Independent of the agent's own rule engine
 * (see {@link DoctorCase}).
 */
enum DoctorRule {
    SAME_METHOD_307_308("same-method-307-308"),
    GET_AFTER_303("get-after-303"),
    POST_AFTER_301_302("post-after-301-302"),
    SAME_ORIGIN_HEADERS("same-origin-headers"),
    CROSS_ORIGIN_STRIP("cross-origin-strip"),
    NO_HTTPS_DOWNGRADE("no-https-downgrade"),
    STREAMED_BODY("streamed-body");

    static final String RETRY_EXCEPTION = "java.net.HttpRetryException";

    final String id;

    DoctorRule(String id) {
        this.id = id;
    }

    /** The rule for the method and body of a followed hop with this status. */
    static DoctorRule forStatus(int status) {
        return status == 303 ? GET_AFTER_303 : status == 307 || status == 308 ? SAME_METHOD_307_308 : POST_AFTER_301_302;
    }

    /** Whether this rule says what must happen in this case. */
    boolean governs(DoctorCase c) {
        boolean follow = c.outcome() == Outcome.FOLLOW;
        switch (this) {
            case SAME_METHOD_307_308:
            case GET_AFTER_303:
            case POST_AFTER_301_302:
                return follow && forStatus(c.status) == this;
            case SAME_ORIGIN_HEADERS:
                return follow && c.sameOrigin();
            case CROSS_ORIGIN_STRIP:
                return follow && !c.sameOrigin();
            case NO_HTTPS_DOWNGRADE:
                return c.target == DoctorCase.Target.HTTPS_TO_HTTP;
            default:
                return c.outcome() == Outcome.RETRY_EXCEPTION;
        }
    }

    /**
     * What the case got wrong for this rule, in a few words ("308 returned to the caller", "GET
     * with Content-Type"), or null when it is right. A hop that was not followed is the business of
     * the rule that decides following; the header rules then have nothing to say.
     */
    String problem(DoctorCase c, Observation o, CallerValues caller) {
        switch (this) {
            case SAME_METHOD_307_308:
            case GET_AFTER_303:
            case POST_AFTER_301_302:
                return methodAndBody(c, o, caller);
            case SAME_ORIGIN_HEADERS: {
                Observation.Request r = o.onlyTargetRequest();
                if (r == null) {
                    return null;
                }
                List<String> lost = new ArrayList<String>();
                List<String> changed = new ArrayList<String>();
                sorted(lost, changed, "Authorization", r.authorization, caller.authorization);
                sorted(lost, changed, "Cookie", r.cookie, caller.cookie);
                sorted(lost, changed, "X-Custom", r.custom, caller.custom);
                if (lost.isEmpty() && changed.isEmpty()) {
                    return null;
                }
                return r.method + (lost.isEmpty() ? "" : " without " + join(lost, ", "))
                        + (changed.isEmpty() ? "" : (lost.isEmpty() ? " with " : ", with ") + "other " + join(changed, ", "));
            }
            case CROSS_ORIGIN_STRIP: {
                Observation.Request r = o.onlyTargetRequest();
                if (r == null) {
                    return null;
                }
                List<String> sent = new ArrayList<String>();
                if (r.authorization != null) {
                    sent.add("Authorization");
                }
                if (r.cookie != null) {
                    sent.add("Cookie");
                }
                return sent.isEmpty() ? null : join(sent, ", ") + " sent to the other origin";
            }
            case NO_HTTPS_DOWNGRADE:
                if (!o.target.isEmpty()) {
                    return "followed to http";
                }
                return o.caller.equals(String.valueOf(c.status)) ? null : "the caller got " + o.callerShort();
            default: // STREAMED_BODY
                if (!o.target.isEmpty()) {
                    return "followed without the body";
                }
                return o.caller.equals(RETRY_EXCEPTION) ? null : notFollowed(o);
        }
    }

    private static String methodAndBody(DoctorCase c, Observation o, CallerValues caller) {
        if (o.target.isEmpty()) {
            return notFollowed(o);
        }
        if (o.target.size() > 1) {
            return "the target got " + o.target.size() + " requests";
        }
        Observation.Request r = o.target.get(0);
        String expectedBody = c.keepsBody() ? caller.body : "";
        String expectedType = c.keepsBody() ? Observation.CONTENT_TYPE : null;
        List<String> with = new ArrayList<String>();
        List<String> without = new ArrayList<String>();
        if (!r.body.equals(expectedBody)) {
            if (r.body.isEmpty()) {
                without.add("body");
            } else {
                with.add(expectedBody.isEmpty() ? "body" : "another body");
            }
        }
        if (expectedType == null ? r.contentType != null : !expectedType.equals(r.contentType)) {
            if (r.contentType == null) {
                without.add("Content-Type");
            } else {
                with.add(expectedType == null ? "Content-Type" : "another Content-Type");
            }
        }
        boolean rightMethod = r.method.equals(c.nextMethod());
        boolean rightCaller = o.caller.equals("200");
        if (rightMethod && with.isEmpty() && without.isEmpty() && rightCaller) {
            return null;
        }
        String sent = r.method + (with.isEmpty() ? "" : " with " + join(with, " and "))
                + (without.isEmpty() ? "" : " without " + join(without, " and "));
        return rightCaller ? sent : sent + ", the caller got " + o.callerShort();
    }

    private static String notFollowed(Observation o) {
        return o.caller.matches("3\\d\\d") ? o.caller + " returned to the caller" : o.callerShort();
    }

    /**
     * The rules the agent logs for this case in audit, given what the JDK did without it: each
     * rule the JDK broke on the wire. A streamed body needed again that the JDK does not send is
     * what the rules ask (nothing to log); one it followed without the body breaks the status rule.
     */
    static Set<DoctorRule> logged(DoctorCase c, Observation baseline, CallerValues caller) {
        Set<DoctorRule> rules = EnumSet.noneOf(DoctorRule.class);
        for (DoctorRule rule : values()) {
            if (rule != STREAMED_BODY && rule.governs(c) && rule.problem(c, baseline, caller) != null) {
                rules.add(rule);
            }
        }
        if (STREAMED_BODY.governs(c) && !baseline.target.isEmpty()) {
            rules.add(forStatus(c.status));
        }
        return rules;
    }

    static DoctorRule byId(String id) {
        for (DoctorRule r : values()) {
            if (r.id.equals(id)) {
                return r;
            }
        }
        return null;
    }

    static List<DoctorRule> all() {
        return Arrays.asList(values());
    }

    private static void sorted(List<String> lost, List<String> changed, String name, String got, String sent) {
        if (got == null) {
            lost.add(name);
        } else if (!got.equals(sent)) {
            changed.add(name);
        }
    }

    static String join(List<String> parts, String separator) {
        StringBuilder b = new StringBuilder();
        for (String p : parts) {
            b.append(b.length() == 0 ? "" : separator).append(p);
        }
        return b.toString();
    }
}
