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
    /** System property set once the agent is installed; {@code list} reads it over attach. */
    static final String INSTALLED_PROPERTY = "dev.redirectguard.agent";
    private static GuardState installed;
    private static RedirectGuardTransformer transformer;
    private static boolean mbeanRegistered;
    /** Every agent argument given (start, then each attach; later keys win), for the config watcher. */
    private static String givenArgs = "";
    private static ConfigWatcher configWatcher;

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
            if (args != null && !args.trim().isEmpty()) {
                givenArgs = givenArgs.isEmpty() ? args : givenArgs + "," + args;
            }
            if (installed != null && args != null && !args.trim().isEmpty()) {
                // Attached again: the keys given replace the live ones, the others stay as they are
                // (later keys win in the argument syntax, and agent arguments beat everything else).
                args = installed.settings() + "," + args;
            }
            // load: with config=<path>, the file's keys too (below agent arguments, above the rest).
            Settings settings = SettingsParser.load(installed != null && (args == null || args.trim().isEmpty())
                    ? installed.settings().toString() : args, System.getProperties(), System.getenv(), errors);
            for (String error : errors) {
                System.err.println("redirect-guard: " + error + "; using the default, mode " + settings.mode().id());
            }
            if (installed != null) {
                installed.apply(settings); // attached again: new settings, same rewrites
                watchConfig(installed);
                if (attached) {
                    registerMBean(installed, settings.jmxDelaySeconds() == Settings.JMX_OFF ? -1 : 0);
                }
                return;
            }
            if (settings.mode() == Mode.OFF && settings.config() == null) {
                return; // with a config file, off is installed, so that an edit can switch it on
            }
            GuardState state = new GuardState(settings);
            RedirectGuardTransformer t = new RedirectGuardTransformer(inst, state);
            inst.addTransformer(t, true);
            installed = state;
            transformer = t;
            watchConfig(state);
            System.setProperty(INSTALLED_PROPERTY, "installed");
            if (attached) {
                retransformLoaded(inst);
                registerMBean(state, settings.jmxDelaySeconds() == Settings.JMX_OFF ? -1 : 0);
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

    /** Starts the config file watcher when the settings name a file (and it is not running yet). */
    private static void watchConfig(GuardState state) {
        if (configWatcher != null) {
            configWatcher.agentArgs(givenArgs);
        } else if (state.settings().config() != null) {
            configWatcher = ConfigWatcher.start(state, givenArgs);
        }
    }

    /**
     * Registers the MBean after {@code delaySeconds} (0: now, on this thread; negative: never).
     * Called on the prepare thread at start-up, so the platform MBean server (tens of ms, and
     * the MBeanServerBuilder fixed for good) never slows or precedes the application's start.
     */
    static void registerMBean(GuardState state, int delaySeconds) {
        if (delaySeconds < 0) {
            return;
        }
        try {
            if (delaySeconds > 0) {
                Thread.sleep(delaySeconds * 1000L);
            }
            synchronized (RedirectGuardAgent.class) {
                if (mbeanRegistered || installed != state) {
                    return;
                }
                new GuardMBean(state, transformer.outcomes, version(), new java.util.function.LongSupplier() {
                    @Override
                    public long getAsLong() {
                        // No class of this agent has met the bridge yet if no HTTP class was loaded.
                        return transformer.bridged() ? GuardHooks.suppressedCount() : 0L;
                    }
                }).register();
                mbeanRegistered = true;
            }
        } catch (Throwable e) {
            System.err.println("redirect-guard: MBean " + RedirectGuardMBean.OBJECT_NAME + " not registered: " + e);
        }
    }

    static String version() {
        Package p = RedirectGuardAgent.class.getPackage();
        String v = p == null ? null : p.getImplementationVersion();
        return v == null ? "dev" : v;
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
