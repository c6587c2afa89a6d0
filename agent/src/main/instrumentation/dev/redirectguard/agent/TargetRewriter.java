package dev.redirectguard.agent;

import dev.redirectguard.rewrite.Rewrites;
import dev.redirectguard.rewrite.ShapeException;

import java.lang.instrument.Instrumentation;
import java.security.AccessController;
import java.security.PrivilegedAction;
import java.util.List;

/**
 * Rewrites one target class for {@link RedirectTransformer}: waits for the settings, rewrites with
 * Byte Buddy, installs the bridge (once, at the first target) and records the outcome. A rewritten
 * class calls the bridge, so none is handed to the JVM unless the bridge is installed. It holds the
 * Instrumentation (to open java.lang for the bridge): it lives in the agent's own class loader,
 * which the application cannot name.
 */
final class TargetRewriter {
    private final Instrumentation inst;
    private final GuardState state;
    /** null: not tried yet; then the outcome of installing the bridge, once. */
    private volatile String bridgeProblem;
    private volatile boolean bridged;
    private volatile Rewrites rewrites;
    private final List<String> outcomes;

    TargetRewriter(Instrumentation inst, GuardState state, List<String> outcomes) {
        this.inst = inst;
        this.state = state;
        this.outcomes = outcomes;
    }

    boolean bridged() {
        return bridged;
    }

    /** Defines the bridge in java.base and installs the hooks, once; true when they are in place. */
    synchronized boolean ensureBridge() {
        if (bridgeProblem == null) {
            bridgeProblem = AccessController.doPrivileged(new PrivilegedAction<String>() {
                @Override
                public String run() {
                    return installBridge();
                }
            });
            bridged = bridgeProblem.isEmpty();
        }
        return bridged;
    }

    private String installBridge() {
        try {
            boolean took = BootBridge.inject(inst, new java.util.function.Supplier<Object>() {
                @Override
                public Object get() {
                    // Made here, once the bridge exists: GuardHooks implements its interface.
                    return new GuardHooks(state);
                }
            });
            return took ? "" : "another redirect-guard agent in this JVM owns the bridge";
        } catch (Throwable e) {
            Permissions.explain(e);
            return "the bridge could not be installed: " + e;
        }
    }

    /** The rewritten target, or null to leave it as the JDK shipped it. */
    byte[] transform(ClassLoader loader, String className, byte[] classfileBuffer) {
        String name = className.replace('/', '.');
        try {
            // Under a SecurityManager: the agent's permissions, not those of the application whose
            // class loading brought the JDK class here.
            byte[] rewritten = System.getSecurityManager() == null ? rewrites().rewrite(className, classfileBuffer, loader)
                    : rewritePrivileged(className, classfileBuffer, loader);
            if (!ensureBridge()) {
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

    private byte[] rewritePrivileged(final String className, final byte[] classfileBuffer, final ClassLoader loader)
            throws ShapeException {
        try {
            return AccessController.doPrivileged(new java.security.PrivilegedExceptionAction<byte[]>() {
                @Override
                public byte[] run() throws ShapeException {
                    return rewrites().rewrite(className, classfileBuffer, loader);
                }
            });
        } catch (java.security.PrivilegedActionException e) {
            throw (ShapeException) e.getException();
        }
    }

    private Rewrites rewrites() {
        Rewrites r = rewrites;
        if (r == null) {
            synchronized (this) {
                if (rewrites == null) {
                    rewrites = new Rewrites(TargetRewriter.class.getClassLoader());
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
