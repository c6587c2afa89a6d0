package dev.redirectguard.classfile;

/** Counts what inserted code does; loaded by the test's own loader, shared with the edited copy. */
public final class Probe {
    public static int hits;
    public static int finallies;

    private Probe() {
    }

    public static void hit() {
        hits++;
    }

    /** Stands in for a bridge call that replaces a constant: the original value plus one. */
    public static int ceiling(int status) {
        return status == 308 ? 308 : 307;
    }
}
