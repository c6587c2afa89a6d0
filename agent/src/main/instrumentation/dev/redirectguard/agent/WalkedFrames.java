package dev.redirectguard.agent;

import java.util.EnumSet;
import java.util.Iterator;
import java.util.function.Function;
import java.util.stream.Stream;

/** JDK 9+: the first application frame by StackWalker, reading only as many frames as it needs. */
final class WalkedFrames implements Function<Stream<StackWalker.StackFrame>, String> {
    /**
     * Reflection frames shown: the walker's own filter for them tests every frame's class against
     * the reflection types, and they are skipped by name here anyway. The first batch is sized for
     * the frames of a send (the agent's, the bridge's and the JDK client's: ten or eleven) so that the
     * walk does not fetch a second one.
     */
    private static final StackWalker WALKER =
            StackWalker.getInstance(EnumSet.of(StackWalker.Option.SHOW_REFLECT_FRAMES), 12);
    private static final WalkedFrames FIRST = new WalkedFrames();

    private WalkedFrames() {
    }

    static String firstApplicationFrame() {
        return WALKER.walk(FIRST);
    }

    /** A class, not a lambda: a lambda's first use would start the JVM's method-handle machinery. */
    @Override
    public String apply(Stream<StackWalker.StackFrame> frames) {
        Iterator<StackWalker.StackFrame> it = frames.iterator();
        while (it.hasNext()) {
            StackWalker.StackFrame f = it.next();
            if (!CallerFrames.skipped(f.getClassName())) {
                return CallerFrames.format(f.getClassName(), f.getMethodName(), f.getFileName(), f.getLineNumber());
            }
        }
        return null;
    }
}
