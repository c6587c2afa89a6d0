package dev.redirectguard.config;

import dev.redirectguard.rules.Rule;

/**
 * Which hops enforce corrects: the {@code enforceRules}, {@code enforceTargets} and
 * {@code enforceCallers} settings, compiled when they are parsed. A hop of an enforce JVM whose
 * rule, target or caller is out of scope keeps what the JDK does and is logged {@code observed}
 * with the scope that left it out. Immutable; asked once per rule a hop breaks.
 */
public final class EnforceScope {
    /** {@link #outOfScope}: the hop's rule is not among enforceRules. */
    public static final String RULE = "rule";
    /** {@link #outOfScope}: the hop's target matches none of enforceTargets. */
    public static final String TARGET = "target";
    /** {@link #outOfScope}: the hop's caller matches none of enforceCallers, or is unknown. */
    public static final String CALLER = "caller";

    private static final EnforceScope EVERYTHING = new EnforceScope(EnforceRules.ALL, EnforceTargets.ALL,
            EnforceCallers.ALL);

    private final EnforceRules rules;
    private final EnforceTargets targets;
    private final EnforceCallers callers;
    /** The defaults: every hop in scope, decided by one field read. */
    private final boolean everything;

    EnforceScope(EnforceRules rules, EnforceTargets targets, EnforceCallers callers) {
        this.rules = rules;
        this.targets = targets;
        this.callers = callers;
        this.everything = rules.all() && targets.all() && callers.all();
    }

    /** The default: every rule, every target, every caller. */
    public static EnforceScope everything() {
        return EVERYTHING;
    }

    /**
     * The three settings' values as they are written ({@code *} for all, empty for none).
     *
     * @throws IllegalArgumentException naming the first invalid key and value
     */
    public static EnforceScope of(String enforceRules, String enforceTargets, String enforceCallers) {
        EnforceRules r;
        EnforceTargets t;
        EnforceCallers c;
        try {
            r = EnforceRules.parse(enforceRules);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("enforceRules '" + enforceRules + "' " + e.getMessage());
        }
        try {
            t = EnforceTargets.parse(enforceTargets);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("enforceTargets '" + enforceTargets + "' " + e.getMessage());
        }
        try {
            c = EnforceCallers.parse(enforceCallers);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("enforceCallers '" + enforceCallers + "' " + e.getMessage());
        }
        return new EnforceScope(r, t, c);
    }

    /**
     * Whether enforce corrects this rule on this hop. Checked in this order, cheapest first, and
     * the first that leaves the hop out is the answer: the rule (one bit), the target (a few
     * string compares), the caller (a scan of the frame). Allocates nothing.
     *
     * @param targetHost the hop's target host as URL or URI give it (IPv6 with or without brackets)
     * @param targetPort the target's effective port: 443 or 80 when the URL names none (as
     *                   {@code Target} resolves it); -1 if unknown, which matches only patterns
     *                   without a port
     * @param callerFrame the caller frame as log lines give it, or null when unknown
     * @return null when the rule is enforced for this hop, else {@link #RULE}, {@link #TARGET} or
     *         {@link #CALLER}
     */
    public String outOfScope(Rule rule, String targetHost, int targetPort, String callerFrame) {
        if (everything) {
            return null;
        }
        if (!rules.contains(rule)) {
            return RULE;
        }
        if (!targets.matches(targetHost, targetPort)) {
            return TARGET;
        }
        if (!callers.matches(callerFrame)) {
            return CALLER;
        }
        return null;
    }

    /** Whether a hop's caller can leave it out of scope (enforceCallers is not {@code *}). */
    public boolean namesCallers() {
        return !callers.all();
    }

    /** Every rule, target and caller in scope: enforce is what it was before scopes. */
    public boolean isEverything() {
        return everything;
    }

    /** The pieces of {@link #outOfScope}, for a caller that checks the hop once and each rule after. */
    public boolean enforces(Rule rule) {
        return rules.contains(rule);
    }

    public boolean targetInScope(String targetHost, int targetPort) {
        return targets.matches(targetHost, targetPort);
    }

    public boolean callerInScope(String callerFrame) {
        return callers.matches(callerFrame);
    }

    /** The enforceRules value in canonical form: {@code *}, ids separated by ';', or empty for none. */
    public String rules() {
        return rules.toString();
    }

    /** The enforceTargets value in canonical form (lower case, as given otherwise). */
    public String targets() {
        return targets.toString();
    }

    /** The enforceCallers value in canonical form. */
    public String callers() {
        return callers.toString();
    }

    EnforceRules enforceRules() {
        return rules;
    }

    EnforceTargets enforceTargets() {
        return targets;
    }

    EnforceCallers enforceCallers() {
        return callers;
    }

    /** Equal when the three values are written alike (order kept). */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof EnforceScope)) {
            return false;
        }
        EnforceScope other = (EnforceScope) o;
        return rules.equals(other.rules) && targets.equals(other.targets) && callers.equals(other.callers);
    }

    @Override
    public int hashCode() {
        return (rules.hashCode() * 31 + targets.hashCode()) * 31 + callers.hashCode();
    }

    /** In the agent-argument syntax. */
    @Override
    public String toString() {
        return "enforceRules=" + rules + ",enforceTargets=" + targets + ",enforceCallers=" + callers;
    }
}
