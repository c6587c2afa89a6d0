package dev.redirectguard.it;

/** How a child JVM runs: without the agent (the baseline) or with it in one of its modes. */
enum AgentMode {
    NONE, OFF, AUDIT, ENFORCE;

    /** The value of {@code mode=} in the agent argument. */
    String agentValue() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
