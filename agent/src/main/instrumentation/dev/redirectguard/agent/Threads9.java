package dev.redirectguard.agent;

/** JDK 9+ thread API; loaded only there. */
final class Threads9 {
    private Threads9() {
    }

    static Thread withoutInheritedLocals(ThreadGroup group, Runnable task, String name) {
        return new Thread(group, task, name, 0, false);
    }
}
