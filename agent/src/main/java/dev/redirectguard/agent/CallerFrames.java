package dev.redirectguard.agent;

/**
 * Finds the application frame that made an HTTP call: the first one outside the JDK, this agent
 * and the HTTP client libraries that sit on the JDK's clients, so that a call made through
 * RestTemplate or JAX-WS names the application's code, not the library's.
 */
final class CallerFrames {
    private static final String[] SKIPPED = {
        "java.", "javax.", "jakarta.", "jdk.", "sun.", "com.sun.",
        "dev.redirectguard.agent.", "dev.redirectguard.rules.", "dev.redirectguard.config.",
        "dev.redirectguard.log.", "dev.redirectguard.shaded.",
        // HTTP client libraries over HttpURLConnection or java.net.http
        "org.springframework.http.", "org.springframework.web.client.", "org.springframework.ws.",
        "org.glassfish.jersey.", "com.google.api.client.", "feign.", "retrofit2.", "org.apache.cxf.",
        "org.jboss.resteasy.", "com.fasterxml.jackson.", "io.micrometer.", "reactor.", "kotlin.",
        "io.opentelemetry.javaagent.", "net.bytebuddy.",
    };

    /**
     * SKIPPED by the first character of the prefix: a walk tests every frame above the
     * application's, so an application frame meets a handful of prefixes, not all of them.
     */
    private static final String[][] SKIPPED_BY_FIRST_CHAR = new String[128][];

    static {
        for (String prefix : SKIPPED) {
            char c = prefix.charAt(0);
            String[] old = SKIPPED_BY_FIRST_CHAR[c];
            String[] grown = old == null ? new String[1] : java.util.Arrays.copyOf(old, old.length + 1);
            grown[grown.length - 1] = prefix;
            SKIPPED_BY_FIRST_CHAR[c] = grown;
        }
    }

    private CallerFrames() {
    }

    /** The skipped prefixes, for tests. */
    static java.util.List<String> skippedPrefixes() {
        return java.util.Collections.unmodifiableList(java.util.Arrays.asList(SKIPPED));
    }

    /** {@code Class.method(File:line)}, or null when every frame is the JDK's or ours. */
    static String firstApplicationFrame(StackTraceElement[] stack) {
        for (StackTraceElement e : stack) {
            if (!skipped(e.getClassName())) {
                return format(e);
            }
        }
        return null;
    }

    /** {@code Class.method(File:line)}. */
    static String format(StackTraceElement e) {
        return e.getClassName() + "." + e.getMethodName() + "(" + e.getFileName() + ":" + e.getLineNumber() + ")";
    }

    static boolean skipped(String className) {
        char first = className.isEmpty() ? 0 : className.charAt(0);
        String[] prefixes = first < SKIPPED_BY_FIRST_CHAR.length ? SKIPPED_BY_FIRST_CHAR[first] : null;
        if (prefixes == null) {
            return false;
        }
        for (String prefix : prefixes) {
            if (className.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }
}
