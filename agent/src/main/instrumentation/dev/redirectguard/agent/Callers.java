package dev.redirectguard.agent;

/**
 * The application frame of the current thread's stack, read by that thread itself (never another
 * thread's stack: that would stop it at a safepoint). JDK 9+: a StackWalker walk that stops at
 * the first frame outside the JDK, the agent and the HTTP libraries; JDK 8: the stack of a Throwable.
 */
final class Callers {
    static final boolean WALKER = JavaVersion.feature() >= 9;

    private Callers() {
    }

    /** {@code Class.method(File:line)}, or null when every frame is the JDK's or the agent's. */
    static String here() {
        return WALKER ? WalkedFrames.firstApplicationFrame()
                : CallerFrames.firstApplicationFrame(new Throwable().getStackTrace());
    }
}
