package dev.redirectguard.rules;

/** Which rules one hop of an enforce JVM enforces: its target and caller against the enforce scope. */
public interface RuleScope {
    /** null when the hop enforces {@code rule}; else why not: "rule", "target" or "caller". */
    String outOfScope(Rule rule);
}
