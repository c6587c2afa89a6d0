package dev.redirectguard.rules;

/** A rule one hop breaks, and whether the hop enforces it; if not in an enforce JVM, why not. */
public final class Judgement {
    private final Violation violation;
    private final boolean enforced;
    private final String scope;

    public Judgement(Violation violation, boolean enforced, String scope) {
        this.violation = violation;
        this.enforced = enforced;
        this.scope = scope;
    }

    public Violation violation() {
        return violation;
    }

    /** True: the hop is made to follow the rule (corrected, or refused). */
    public boolean enforced() {
        return enforced;
    }

    /** Why an enforce JVM only observed it: "rule", "target" or "caller"; null otherwise. */
    public String scope() {
        return scope;
    }
}
