package dev.redirectguard.agent;

import java.util.Iterator;
import java.util.function.Function;
import java.util.stream.Stream;

/** JDK 9+: the first application frame by StackWalker, reading only as many frames as it needs. */
final class WalkedFrames implements Function<Stream<StackWalker.StackFrame>, String> {
    private static final StackWalker WALKER = StackWalker.getInstance();
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
