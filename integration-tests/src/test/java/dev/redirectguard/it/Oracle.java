package dev.redirectguard.it;

import dev.redirectguard.it.child.ChildCase;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a redirect must do, written from the RFC 9110 rules the project enforces (not from the
 * agent): which method, body and Content-Type the target gets, which credentials cross, and what
 * the caller ends up with. Also maps a deviation to the rule id the agent must log for it.
 */
final class Oracle {
    static final String RETRY_EXCEPTION = "java.net.HttpRetryException";

    /** One way an observed case differs from the rules. */
    record Deviation(Rule rule, String field, Object expected, Object actual) {
    }

    /**
     * The log lines one case must produce: a line for each rule in {@code required}, at least one
     * for a rule in {@code requiredAnyOf} (when not empty), no rule outside {@code allowedActions},
     * and each line's action among the ones allowed for its rule.
     */
    record LogExpectation(Set<Rule> required, Set<Rule> requiredAnyOf, Map<Rule, Set<String>> allowedActions) {
        static LogExpectation none() {
            return new LogExpectation(Set.of(), Set.of(), Map.of());
        }

        boolean isMetBy(Set<Rule> logged) {
            return logged.containsAll(required) && allowedActions.keySet().containsAll(logged)
                    && (requiredAnyOf.isEmpty() || requiredAnyOf.stream().anyMatch(logged::contains));
        }

        String describe() {
            if (allowedActions.isEmpty()) {
                return "no line";
            }
            StringBuilder sb = new StringBuilder();
            allowedActions.forEach((rule, actions) -> sb.append(sb.length() == 0 ? "" : ", ").append(rule)
                    .append(required.contains(rule) ? "" : requiredAnyOf.contains(rule) ? " (or)" : " (optional)")
                    .append(' ').append(actions));
            return sb.toString();
        }
    }

    private Oracle() {
    }

    /** Rules 1-3: the method of the followed request. */
    static String redirectMethod(RedirectCase c) {
        String m = c.method();
        return switch (c.status()) {
            case 307, 308 -> m;
            case 303 -> m.equals("HEAD") ? "HEAD" : "GET";
            case 301, 302 -> m.equals("POST") ? "GET" : m;
            default -> throw new IllegalArgumentException("status " + c.status());
        };
    }

    /** Whether the followed request carries the original body (and its Content-Type) again. */
    static boolean keepsBody(RedirectCase c) {
        return switch (c.status()) {
            case 307, 308 -> true;
            case 303 -> false;
            case 301, 302 -> !c.method().equals("POST");
            default -> throw new IllegalArgumentException("status " + c.status());
        };
    }

    /** Rule 7: a streamed HttpURLConnection body cannot be sent twice, so the hop must be refused. */
    static boolean refusesStreamedBody(RedirectCase c) {
        return c.streamedBody() && keepsBody(c);
    }

    /** The rule that governs method, body and Content-Type for this status. */
    static Rule statusRule(RedirectCase c) {
        return switch (c.status()) {
            case 307, 308 -> Rule.SAME_METHOD_307_308;
            case 303 -> Rule.GET_AFTER_303;
            case 301, 302 -> Rule.POST_AFTER_301_302;
            default -> throw new IllegalArgumentException("status " + c.status());
        };
    }

    /** The request the target must receive when the hop is followed. */
    static RecordedRequest expectedTarget(RedirectCase c) {
        String id = c.id();
        boolean body = keepsBody(c) && c.hasBody();
        return new RecordedRequest(RecordingServers.Origin.targetOf(c), redirectMethod(c),
                body ? ChildCase.body(id) : "", body ? ChildCase.CONTENT_TYPE : null,
                c.sameOrigin() ? ChildCase.authorization(id) : null,
                c.sameOrigin() ? ChildCase.cookie(id) : null,
                ChildCase.custom(id)); // other origin: X-Custom may or may not arrive
    }

    static String expectedCallerBody(RedirectCase c) {
        return c.method().equals("HEAD") ? "" : ChildCase.targetBody(c.id());
    }

    /** Every way the observation breaks the rules; empty when it is compliant. */
    static List<Deviation> deviations(CaseObservation o) {
        RedirectCase c = o.c();
        ChildResult r = o.result();
        Rule rule = statusRule(c);
        List<Deviation> d = new ArrayList<>();
        if (refusesStreamedBody(c)) {
            if (!o.targetRequests().isEmpty()) {
                d.add(new Deviation(rule, "target requests", 0, o.targetRequests().size()));
            }
            if (!RETRY_EXCEPTION.equals(r.error())) {
                d.add(new Deviation(rule, "caller", RETRY_EXCEPTION, r.outcome()));
            }
            return d;
        }
        if (o.targetRequests().size() != 1) {
            d.add(new Deviation(rule, "target requests", 1, o.targetRequests().size()));
        }
        RecordedRequest want = expectedTarget(c);
        RecordedRequest got = o.target();
        if (got != null) {
            compare(d, rule, "target origin", want.origin(), got.origin());
            compare(d, rule, "target method", want.method(), got.method());
            compare(d, rule, "target body", want.body(), got.body());
            compare(d, rule, "target Content-Type", want.contentType(), got.contentType());
            Rule headerRule = c.sameOrigin() ? Rule.SAME_ORIGIN_HEADERS : Rule.CROSS_ORIGIN_STRIP;
            compare(d, headerRule, "target Authorization", want.authorization(), got.authorization());
            compare(d, headerRule, "target Cookie", want.cookie(), got.cookie());
            if (c.sameOrigin()) {
                compare(d, headerRule, "target X-Custom", want.custom(), got.custom());
            }
        }
        String body = expectedCallerBody(c);
        if (r.error() != null || !Objects.equals(r.status(), 200) || !body.equals(r.body())) {
            d.add(new Deviation(rule, "caller", "status 200 body " + Mismatches.show(body), r.outcome()));
        }
        return d;
    }

    private static void compare(List<Deviation> d, Rule rule, String field, Object expected, Object actual) {
        if (!Objects.equals(expected, actual)) {
            d.add(new Deviation(rule, field, expected, actual));
        }
    }

    /**
     * The rules the agent must report for a case, given what the JDK alone did (the baseline): one
     * per rule whose requests on the wire differ from what it asks. A difference the caller alone
     * sees is no line: a streamed body that the JDK hands back as a 308, where the rules throw
     * HttpRetryException as for a 307, sends nothing either way.
     */
    static Set<Rule> reportedRules(CaseObservation baseline) {
        Set<Rule> rules = EnumSet.noneOf(Rule.class);
        deviations(baseline).stream().filter(d -> !d.field().equals("caller")).forEach(d -> rules.add(d.rule()));
        return rules;
    }

    /** Audit: exactly the reported rules, action "observed". */
    static LogExpectation auditLog(CaseObservation baseline) {
        return expect(reportedRules(baseline), "observed");
    }

    /** Enforce: a "corrected" line per reported rule (what enforce changed on the wire). */
    static LogExpectation enforceLog(CaseObservation baseline) {
        return expect(reportedRules(baseline), "corrected");
    }

    private static LogExpectation expect(Set<Rule> rules, String action) {
        if (rules.isEmpty()) {
            return LogExpectation.none();
        }
        Map<Rule, Set<String>> allowed = new EnumMap<>(Rule.class);
        rules.forEach(r -> allowed.put(r, Set.of(action)));
        return new LogExpectation(rules, Set.of(), allowed);
    }
}
