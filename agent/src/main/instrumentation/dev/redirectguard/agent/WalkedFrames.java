package dev.redirectguard.agent;

import java.util.EnumSet;
import java.util.Iterator;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * JDK 9+: the first application frame by StackWalker, reading only as many frames as it needs.
 * The JVM fills every frame of a batch (its method resolved) before the walk looks at one, so a
 * batch sized to the frames above the application's is most of what a walk costs.
 */
final class WalkedFrames implements Function<Stream<StackWalker.StackFrame>, String> {
    /**
     * For {@link Callers#here}. Reflection frames shown: the walker's own filter for them tests
     * every frame's class against the reflection types, and they are skipped by name here anyway.
     */
    private static final StackWalker WALKER =
            StackWalker.getInstance(EnumSet.of(StackWalker.Option.SHOW_REFLECT_FRAMES), 12);
    /**
     * For HttpURLConnection's hops (only for a hop that breaks a rule, or a 308), walked by
     * {@link HucHops} itself inside followRedirect: HucHops' method, the hook, the bridge,
     * followRedirect0 (not on a 308), followRedirect, getInputStream0, getInputStream and the public
     * method the application called, then the application's frame; a first batch of eleven (the
     * walker keeps two of its slots) holds them. The JVM fills every frame of a batch, so every
     * method between HucHops and the walk, or a frame more in the batch than the application's
     * needs, is work per violation: in a flood of them the walk is most of what audit costs.
     */
    static final StackWalker HUC_WALKER =
            StackWalker.getInstance(EnumSet.of(StackWalker.Option.SHOW_REFLECT_FRAMES), 11);
    /**
     * For an HttpClient request that names its caller as it is sent (sendAsync, or an enforce
     * whose scope names callers), walked by {@link HttpClientHops#sent} itself: the hook's three
     * frames, MultiExchange's constructor, sendAsync and the client facade's method, then the
     * application's; a first batch of ten (the walker keeps two of its slots) holds them. Every
     * method between the hook and the walk would be one frame more.
     */
    static final StackWalker SEND_WALKER =
            StackWalker.getInstance(EnumSet.of(StackWalker.Option.SHOW_REFLECT_FRAMES), 10);
    static final WalkedFrames FIRST = new WalkedFrames();

    private WalkedFrames() {
    }

    static String firstApplicationFrame() {
        return WALKER.walk(FIRST);
    }

    /**
     * A class, not a lambda: a lambda's first use would start the JVM's method-handle machinery.
     * The frame is read through one StackTraceElement: its method name alone would make the JVM
     * expand the frame's method a second time.
     */
    @Override
    public String apply(Stream<StackWalker.StackFrame> frames) {
        Iterator<StackWalker.StackFrame> it = frames.iterator();
        while (it.hasNext()) {
            StackWalker.StackFrame f = it.next();
            if (!CallerFrames.skipped(f.getClassName())) {
                return CallerFrames.format(f.toStackTraceElement());
            }
        }
        return null;
    }
}
