package dev.redirectguard.agent;

import dev.redirectguard.rewrite.RewriteTargets;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Rewrites the five JDK classes that handle redirects, and nothing else: a name comparison is all
 * it costs for every other class. Byte Buddy, the rewrites, the bridge and the hooks arrive with
 * the first target ({@link TargetRewriter}), so a JVM that never loads an HTTP class pays for none
 * of them, and start-up loads no more than this class.
 */
final class RedirectTransformer implements ClassFileTransformer {
    private final Instrumentation inst;
    private final GuardState state;
    private volatile TargetRewriter rewriter;
    /** What was done, for status output: "class: rewritten" or "class: left untouched (why)". */
    final List<String> outcomes = new CopyOnWriteArrayList<String>();

    RedirectTransformer(Instrumentation inst, GuardState state) {
        this.inst = inst;
        this.state = state;
    }

    /** Takes this transformer out again (installing failed after it was registered). */
    void remove() {
        inst.removeTransformer(this);
    }

    /** Whether the bridge is installed (no class of this agent has met it before the first target). */
    boolean bridged() {
        TargetRewriter r = rewriter;
        return r != null && r.bridged();
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        if (className == null || !RewriteTargets.isTarget(className)) {
            return null;
        }
        TargetRewriter r = rewriter;
        if (r == null) {
            synchronized (this) {
                if (rewriter == null) {
                    rewriter = new TargetRewriter(inst, state, outcomes);
                }
                r = rewriter;
            }
        }
        return r.transform(loader, className, classfileBuffer);
    }
}
