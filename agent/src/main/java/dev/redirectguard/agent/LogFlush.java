package dev.redirectguard.agent;

import dev.redirectguard.log.LogPipeline;

/**
 * Writes what the log holds when the JVM exits (2 s at most). Registered with the agent's thread,
 * from premain or agentmain, before any application code can make a line: a JVM that ends right
 * after its last violation still gets that line written.
 */
final class LogFlush implements Runnable {
    static final String NAME = "redirect-guard-flush";
    private final GuardState state;

    LogFlush(GuardState state) {
        this.state = state;
    }

    @Override
    public void run() {
        try {
            LogPipeline log = state.existingLog();
            if (log != null) {
                log.close(LogPipeline.SHUTDOWN_WAIT_MILLIS);
            }
        } catch (Throwable ignored) {
            // the JVM is going away; never hold it up
        }
    }
}
