package dev.redirectguard.rules;

/** A rule one hop breaks, with a short reason that names no header value, body or query. */
public final class Violation {
    private final Rule rule;
    private final String detail;

    public Violation(Rule rule, String detail) {
        this.rule = rule;
        this.detail = detail;
    }

    public Rule rule() {
        return rule;
    }

    public String detail() {
        return detail;
    }

    @Override
    public String toString() {
        return rule.id() + ": " + detail;
    }
}
