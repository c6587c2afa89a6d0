package dev.redirectguard.boot;

import java.lang.instrument.Instrumentation;
import java.net.URL;
import java.util.function.BiConsumer;

/**
 * {@code Premain-Class} and {@code Agent-Class}: the only agent class the application class loader
 * can load. It keeps nothing: it creates the agent's own loader ({@link AgentLoader}), hands the
 * {@link Instrumentation} to the agent inside it, and returns. Attached again, it finds the running
 * agent through the Instrumentation the JVM passes (its class, defined by an AgentLoader), never
 * through a field an application could read.
 */
public final class AgentBootstrap {
    /** Inside the agent's loader; its static initializer registers a {@code BiConsumer<Object[], Instrumentation>}. */
    static final String ENTRY = "dev.redirectguard.agent.AgentMain";

    private AgentBootstrap() {
    }

    public static void premain(String args, Instrumentation inst) {
        start(args, inst, false);
    }

    public static void agentmain(String args, Instrumentation inst) {
        start(args, inst, true);
    }

    @SuppressWarnings("unchecked")
    private static void start(String args, Instrumentation inst, boolean attached) {
        try {
            if (!genuine(inst)) {
                return; // called by application code, not by the JVM: nothing to do for it
            }
            Object entry = attached ? running(inst) : null;
            if (entry == null) {
                URL jar = AgentBootstrap.class.getProtectionDomain().getCodeSource().getLocation();
                entry = new AgentLoader(jar, AgentLoader.jdkLoader()).entry(ENTRY);
            }
            ((BiConsumer<Object[], Instrumentation>) entry).accept(new Object[] {args, attached}, inst);
        } catch (Throwable t) {
            String grant = t instanceof java.security.AccessControlException
                    ? "; grant the agent jar all it needs: grant codeBase \"" + jarUrl() + "\" { permission java.security.AllPermission; };" : "";
            System.err.println("redirect-guard: not installed: " + t + grant);
        }
    }

    private static String jarUrl() {
        try {
            String self = AgentBootstrap.class.getResource("AgentBootstrap.class").toString();
            return self.substring("jar:".length(), self.indexOf("!/"));
        } catch (Throwable e) {
            return "file:/path/to/redirect-guard-agent.jar";
        }
    }

    /** The JVM's own Instrumentation (java.instrument's implementation, from the boot loader). */
    private static boolean genuine(Instrumentation inst) {
        return inst != null && inst.getClass().getClassLoader() == null
                && inst.getClass().getName().equals("sun.instrument.InstrumentationImpl");
    }

    /** The agent already running in this JVM (a previous premain or attach), or null. */
    private static Object running(Instrumentation inst) {
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (c.getName().equals(ENTRY) && c.getClassLoader() instanceof AgentLoader) {
                Object entry = ((AgentLoader) c.getClassLoader()).registeredEntry();
                if (entry != null) {
                    return entry;
                }
            }
        }
        return null;
    }
}
