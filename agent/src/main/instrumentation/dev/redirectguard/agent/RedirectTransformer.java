package dev.redirectguard.agent;

import dev.redirectguard.rewrite.RewriteTargets;
import dev.redirectguard.rewrite.Rewrites;
import dev.redirectguard.rewrite.ShapeException;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Rewrites the four JDK classes that handle redirects, and nothing else: a name comparison is all
 * it costs for every other class. Byte Buddy, the rewrites and the hooks load at the first target.
 * A rewritten class calls the bridge, so none is handed to the JVM unless the bridge is installed.
 */
final class RedirectTransformer implements ClassFileTransformer {
    /** The longest a first HTTP class waits for the bridge that the agent's thread is installing. */
    private static final long BRIDGE_WAIT_SECONDS = 30;

    private final CountDownLatch bridgeDone = new CountDownLatch(1);
    private volatile boolean bridged;
    private volatile String bridgeProblem = "the bridge is not installed yet";
    private volatile Rewrites rewrites;
    /** What was done, for status output: "class: rewritten" or "class: left untouched (why)". */
    final List<String> outcomes = new CopyOnWriteArrayList<String>();

    /** The bridge is installed (or could not be: {@code problem}); targets may be rewritten from now on. */
    void bridgeDone(boolean installed, String problem) {
        bridged = installed;
        bridgeProblem = problem;
        bridgeDone.countDown();
    }

    boolean bridged() {
        return bridged;
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        if (className == null || !RewriteTargets.isTarget(className)) {
            return null;
        }
        String name = className.replace('/', '.');
        try {
            // Rewrite first, then wait for the bridge: at start-up the agent's thread is defining it meanwhile.
            byte[] rewritten = rewrites().rewrite(className, classfileBuffer, loader);
            if (!bridgeDone.await(BRIDGE_WAIT_SECONDS, TimeUnit.SECONDS) || !bridged) {
                return untouched(name + ": left untouched, " + bridgeProblem);
            }
            outcomes.add(name + ": rewritten");
            return rewritten;
        } catch (ShapeException e) {
            return untouched(name + ": left untouched, unknown code shape on Java "
                    + System.getProperty("java.version") + " " + e.getMessage());
        } catch (Throwable t) {
            Permissions.explain(t);
            return untouched(name + ": left untouched, " + t);
        }
    }

    private Rewrites rewrites() {
        Rewrites r = rewrites;
        if (r == null) {
            synchronized (this) {
                if (rewrites == null) {
                    rewrites = new Rewrites(RedirectTransformer.class.getClassLoader());
                }
                r = rewrites;
            }
        }
        return r;
    }

    private byte[] untouched(String line) {
        outcomes.add(line);
        System.err.println("redirect-guard: " + line);
        return null;
    }
}
