package dev.redirectguard.agent;

import dev.redirectguard.log.LogPipeline;

import java.security.AccessController;
import java.security.PrivilegedAction;

/** Writes what the log holds when the JVM exits (2 s at most). Registered once, by the agent's thread. */
final class LogFlush implements Runnable {
    private final LogPipeline log;

    private LogFlush(LogPipeline log) {
        this.log = log;
    }

    /** Made on the agent's thread, so the hook's thread carries nothing of an application. */
    static void atExit(final LogPipeline log) {
        try {
            AccessController.doPrivileged(new PrivilegedAction<Void>() {
                @Override
                public Void run() {
                    Thread hook = new Thread(new LogFlush(log), "redirect-guard-flush");
                    hook.setContextClassLoader(null);
                    Runtime.getRuntime().addShutdownHook(hook);
                    return null;
                }
            });
        } catch (IllegalStateException alreadyShuttingDown) {
            // nothing to hook into: the agent's thread still writes while the JVM shuts down
        } catch (SecurityException e) {
            System.err.println("redirect-guard: the log is not flushed at exit: " + e);
        }
    }

    @Override
    public void run() {
        try {
            log.close(LogPipeline.SHUTDOWN_WAIT_MILLIS);
        } catch (Throwable ignored) {
            // the JVM is going away; never hold it up
        }
    }
}
