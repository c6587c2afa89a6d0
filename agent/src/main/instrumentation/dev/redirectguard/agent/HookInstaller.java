package dev.redirectguard.agent;

/**
 * Connects the agent to the bridge. A class of its own, loaded by name only once the bridge
 * exists in java.base: resolving the bridge earlier would make the application class loader try
 * to define a java.lang class, which it may not.
 */
final class HookInstaller {
    private HookInstaller() {
    }

    static void install(GuardState state) {
        java.lang.RedirectGuardBridge.install(new GuardHooks(state));
    }

    static String suppressedSummary() {
        long n = java.lang.RedirectGuardBridge.suppressedCount();
        Throwable first = java.lang.RedirectGuardBridge.firstSuppressed();
        return n == 0 ? "0" : n + " (first: " + first + ")";
    }
}
