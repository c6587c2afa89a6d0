package dev.redirectguard.agent;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Rewrites the four JDK classes that handle redirects, and nothing else. A name comparison is all
 * it costs for every other class; ASM, the bridge and the hooks are loaded on the first target.
 */
final class RedirectGuardTransformer implements ClassFileTransformer {
    private final Instrumentation inst;
    private final GuardState state;
    private volatile boolean bridged;
    /** What was done, for status output: "class: rewritten" or "class: left untouched (why)". */
    final List<String> outcomes = new CopyOnWriteArrayList<String>();

    RedirectGuardTransformer(Instrumentation inst, GuardState state) {
        this.inst = inst;
        this.state = state;
    }

    static boolean isTarget(String internalName) {
        for (String t : ClassRewrite.TARGETS) {
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
            ensureBridge();
            ClassRewrite.Result result = ClassRewrite.forClass(className).rewrite(classfileBuffer);
            String name = className.replace('/', '.');
            if (result.bytes == null) {
                String line = name + ": left untouched, unknown code shape on Java "
                        + System.getProperty("java.version") + " " + result.refusal;
                outcomes.add(line);
                System.err.println("redirect-guard: " + line);
                return null;
            }
            outcomes.add(name + ": rewritten");
            return result.bytes;
        } catch (Throwable t) {
            String line = className.replace('/', '.') + ": left untouched, " + t;
            outcomes.add(line);
            System.err.println("redirect-guard: " + line);
            return null;
        }
    }

    private synchronized void ensureBridge() throws Exception {
        if (bridged) {
            return;
        }
        BootBridge.inject(inst);
        HookInstaller.install(state);
        bridged = true;
    }
}
