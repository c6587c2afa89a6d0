package dev.redirectguard.agent;

import dev.redirectguard.config.Mode;
import dev.redirectguard.config.Settings;
import dev.redirectguard.config.SettingsParser;

import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;

/**
 * Entry point for {@code -javaagent} and for attach: both take the same path. Start-up does only
 * what cannot wait (read the settings, register one transformer); everything else happens when
 * the first redirect class loads. Nothing here may stop the JVM from starting.
 */
public final class RedirectGuardAgent {
    private static GuardState installed;
    private static RedirectGuardTransformer transformer;

    private RedirectGuardAgent() {
    }

    public static void premain(String args, Instrumentation inst) {
        start(args, inst, false);
    }

    public static void agentmain(String args, Instrumentation inst) {
        start(args, inst, true);
    }

    private static synchronized void start(String args, final Instrumentation inst, boolean attached) {
        try {
            List<String> errors = new ArrayList<String>();
            Settings settings = SettingsParser.parse(args, System.getProperties(), System.getenv(), errors);
            for (String error : errors) {
                System.err.println("redirect-guard: " + error + "; using the default, mode " + settings.mode().id());
            }
            if (installed != null) {
                installed.apply(settings); // attached again: new settings, same rewrites
                return;
            }
            if (settings.mode() == Mode.OFF) {
                return;
            }
            GuardState state = new GuardState(settings);
            RedirectGuardTransformer t = new RedirectGuardTransformer(inst, state);
            inst.addTransformer(t, true);
            installed = state;
            transformer = t;
            if (attached) {
                retransformLoaded(inst);
            } else {
                // At start-up the targets are almost never loaded yet (only an agent ahead of this
                // one could have loaded them): the rest of the set-up runs beside the JVM's start.
                Thread prepare = new Thread(t, "redirect-guard-prepare");
                prepare.setDaemon(true);
                prepare.start();
            }
        } catch (Throwable t) {
            System.err.println("redirect-guard: not installed: " + t);
        }
    }

    /** Targets loaded before the agent (attach, or another agent first) are rewritten now. */
    static void retransformLoaded(Instrumentation inst) throws Exception {
        List<Class<?>> loaded = new ArrayList<Class<?>>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (RedirectGuardTransformer.isTarget(c.getName().replace('.', '/'))) {
                loaded.add(c);
            }
        }
        if (!loaded.isEmpty()) {
            inst.retransformClasses(loaded.toArray(new Class<?>[0]));
        }
    }

    /** For status output: what each JDK class got. */
    static List<String> outcomes() {
        RedirectGuardTransformer t = transformer;
        return t == null ? new ArrayList<String>() : new ArrayList<String>(t.outcomes);
    }
}
