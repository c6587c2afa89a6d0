package dev.redirectguard.agent;

/** Finds the application frame that made an HTTP call: the first one outside the JDK and this agent. */
final class CallerFrames {
    private static final String[] SKIPPED = {
        "java.", "javax.", "jdk.", "sun.", "com.sun.",
        "dev.redirectguard.agent.", "dev.redirectguard.rules.", "dev.redirectguard.config.",
        "dev.redirectguard.log.", "dev.redirectguard.shaded.",
    };

    private CallerFrames() {
    }

    /** {@code Class.method(File:line)}, or null when every frame is the JDK's or ours. */
    static String firstApplicationFrame(StackTraceElement[] stack) {
        for (StackTraceElement e : stack) {
            if (!skipped(e.getClassName())) {
                return e.getClassName() + "." + e.getMethodName() + "(" + e.getFileName() + ":" + e.getLineNumber()
                        + ")";
            }
        }
        return null;
    }

    private static boolean skipped(String className) {
        for (String prefix : SKIPPED) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
