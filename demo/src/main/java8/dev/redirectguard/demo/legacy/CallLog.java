package dev.redirectguard.demo.legacy;

/**
 * Prints one line per call, {@code <call> -> HTTP <status>}, {@code <call> -> failed: <exception>}
 * or {@code <call> -> skipped: <why>}: the demo runner reads these lines to learn what the
 * application got.
 */
final class CallLog {
    private CallLog() {
    }

    static void run(String name, Call call) {
        try {
            System.out.println(name + " -> HTTP " + call.send());
        } catch (Exception e) {
            System.out.println(name + " -> failed: " + e);
        }
    }

    static void skipped(String name, String why) {
        System.out.println(name + " -> skipped: " + why);
    }
}
