package dev.redirectguard.demo;

/** The three runs of the legacy application. */
enum RunMode {
    NO_AGENT("no agent", null),
    AUDIT("audit", "audit"),
    ENFORCE("enforce", "enforce");

    private final String label;
    private final String agentMode;

    RunMode(String label, String agentMode) {
        this.label = label;
        this.agentMode = agentMode;
    }

    String label() {
        return label;
    }

    /** Base name of this run's files in the work directory. */
    String fileName() {
        return label.replace(' ', '-');
    }

    boolean hasAgent() {
        return agentMode != null;
    }

    /** The agent's {@code mode=} value; null without the agent. */
    String agentMode() {
        return agentMode;
    }
}
