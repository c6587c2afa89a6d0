package dev.redirectguard.boot;

/**
 * The child program of {@code check}: loads and links each named JDK class, which the agent in
 * that JVM rewrites, so HotSpot's verifier (with {@code -XX:+BytecodeVerificationLocal}) checks the
 * rewritten bytecode, stack map frames included. One line per class: {@code loaded <name>} or
 * {@code failed <name> <error>}.
 */
public final class LoadTargets {
    private LoadTargets() {
    }

    public static void main(String[] names) {
        for (String name : names) {
            try {
                Class.forName(name, true, ClassLoader.getSystemClassLoader());
                System.out.println("loaded " + name);
            } catch (Throwable t) {
                System.out.println("failed " + name + " " + t);
            }
        }
    }
}
