package dev.redirectguard.agent;

import dev.redirectguard.classfile.ClassFileException;
import dev.redirectguard.config.Settings;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Rewrites the four JDK classes that handle redirects, and nothing else. A name comparison is all
 * it costs for every other class; ASM, the bridge and the hooks are loaded on the first target.
 */
final class RedirectGuardTransformer implements ClassFileTransformer, Runnable {
    private final Instrumentation inst;
    private final GuardState state;
    private volatile boolean bridged;
    /** What was done, for status output: "class: rewritten" or "class: left untouched (why)". */
    final List<String> outcomes = new CopyOnWriteArrayList<String>();

    RedirectGuardTransformer(Instrumentation inst, GuardState state) {
        this.inst = inst;
        this.state = state;
    }

    /**
     * The classes rewritten, as literals: naming the rewrite classes here would load them (and
     * the editor) at start-up, for every JVM, HTTP or not.
     */
    private static final String[] TARGETS = {
        "sun/net/www/protocol/http/HttpURLConnection", "jdk/internal/net/http/RedirectFilter",
        "jdk/internal/net/http/HttpRequestImpl", "jdk/internal/net/http/MultiExchange",
    };

    static boolean isTarget(String internalName) {
        for (String t : TARGETS) {
            if (t.equals(internalName)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        if (className == null || !isTarget(className)) {
            return null;
        }
        try {
            // Rewrite first, then wait for the bridge: at start-up the side thread is defining it
            // meanwhile. The rewritten class may only be used once the bridge exists.
            byte[] rewritten = Rewrites.rewrite(className, classfileBuffer);
            ensureBridge();
            outcomes.add(className.replace('/', '.') + ": rewritten");
            return rewritten;
        } catch (ClassFileException e) {
            String line = className.replace('/', '.') + ": left untouched, unknown code shape on Java "
                    + System.getProperty("java.version") + " " + e.getMessage();
            outcomes.add(line);
            System.err.println("redirect-guard: " + line);
            return null;
        } catch (Throwable t) {
            String line = className.replace('/', '.') + ": left untouched, " + t;
            outcomes.add(line);
            System.err.println("redirect-guard: " + line);
            return null;
        }
    }

    /**
     * Start-up work done on a side thread (see the agent's premain): define the bridge, so the
     * first HTTP class finds it ready, and rewrite any target loaded before this agent.
     */
    @Override
    public void run() {
        try {
            ensureBridge();
            RedirectGuardAgent.retransformLoaded(inst);
        } catch (Throwable e) {
            // The transform itself retries and reports on the first HTTP class.
        }
        // Same thread, later: the MBean (see RedirectGuardAgent.registerMBean).
        int delay = state.settings().jmxDelaySeconds();
        RedirectGuardAgent.registerMBean(state, delay == Settings.JMX_OFF ? -1 : delay);
    }

    boolean bridged() {
        return bridged;
    }

    private synchronized void ensureBridge() throws Exception {
        if (bridged) {
            return;
        }
        BootBridge.inject(inst);
        GuardHooks.install(state);
        bridged = true;
    }
}
