package dev.redirectguard.agent;

import dev.redirectguard.config.Mode;
import dev.redirectguard.config.Settings;
import dev.redirectguard.config.SettingsParser;
import dev.redirectguard.rewrite.RewriteTargets;

import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

/**
 * The agent, inside its own class loader: {@code AgentBootstrap} hands it each premain and attach
 * as {@code accept({args, attached}, inst)}. Start-up does only what cannot wait (read the
 * settings, register one transformer, start the agent's thread); the bridge is installed on that
 * thread, and everything else happens when the first redirect class loads. The Instrumentation is
 * used where it is passed and kept nowhere (but in the one start-up task, until it has run).
 * Nothing here may stop the JVM from starting.
 */
public final class AgentMain implements BiConsumer<Object[], Instrumentation> {
    /** System property set once the agent is installed; {@code list} reads it over attach. */
    public static final String INSTALLED_PROPERTY = "dev.redirectguard.agent";

    static {
        ClassLoader loader = AgentMain.class.getClassLoader();
        if (loader instanceof Consumer) {
            @SuppressWarnings("unchecked")
            Consumer<Object> registry = (Consumer<Object>) loader;
            registry.accept(new AgentMain());
        }
    }

    private GuardState installed;
    private RedirectTransformer transformer;
    private AgentThread thread;
    private boolean mbeanRegistered;
    /** Every agent argument given (start, then each attach; later keys win), for the config watcher. */
    private String givenArgs = "";

    private AgentMain() {
    }

    @Override
    public synchronized void accept(Object[] call, Instrumentation inst) {
        String args = (String) call[0];
        boolean attached = (Boolean) call[1];
        try {
            start(args, inst, attached);
        } catch (Throwable t) {
            Permissions.explain(t);
            System.err.println("redirect-guard: not installed: " + t);
        }
    }

    private void start(String args, final Instrumentation inst, boolean attached) throws Exception {
        List<String> errors = new ArrayList<String>();
        boolean given = args != null && !args.trim().isEmpty();
        if (given) {
            givenArgs = givenArgs.isEmpty() ? args : givenArgs + "," + args;
        }
        if (installed != null && given) {
            // Attached again: the keys given replace the live ones, the others stay as they are
            // (later keys win in the argument syntax, and agent arguments beat everything else).
            args = installed.settings() + "," + args;
        }
        Settings settings = SettingsParser.loadAtStart(installed != null && !given ? installed.settings().toString()
                : args, System.getProperties(), System.getenv(), errors);
        for (String line : errors) {
            System.err.println("redirect-guard: " + line);
        }
        if (installed != null) {
            installed.apply(settings); // attached again: new settings, same rewrites
            watchConfig(installed);
            if (attached && settings.jmxDelaySeconds() != Settings.JMX_OFF) {
                registerMBean(installed);
            }
            return;
        }
        if (settings.mode() == Mode.OFF && settings.config() == null) {
            return; // with a config file, off is installed, so that an edit can switch it on
        }
        final GuardState state = new GuardState(settings);
        final RedirectTransformer t = new RedirectTransformer();
        installed = state;
        transformer = t;
        System.setProperty(INSTALLED_PROPERTY, "installed");
        if (attached) {
            installBridge(inst, state, t);
            inst.addTransformer(t, true);
            retransformLoaded(inst);
            thread = AgentThread.start(state, null);
            watchConfig(state);
            if (settings.jmxDelaySeconds() != Settings.JMX_OFF) {
                registerMBean(state);
            }
            return;
        }
        inst.addTransformer(t, true);
        // At start-up the targets are almost never loaded yet (only an agent ahead of this one could
        // have loaded them): the bridge is installed on the agent's thread, beside the JVM's start.
        thread = AgentThread.start(state, new Runnable() {
            @Override
            public void run() {
                installBridge(inst, state, t);
                try {
                    retransformLoaded(inst);
                } catch (Throwable e) {
                    Permissions.explain(e);
                    System.err.println("redirect-guard: HTTP classes loaded before the agent not rewritten: " + e);
                }
            }
        });
        watchConfig(state);
        int delay = settings.jmxDelaySeconds();
        if (delay != Settings.JMX_OFF) {
            thread.scheduleMBean(new Runnable() {
                @Override
                public void run() {
                    registerMBean(state);
                }
            }, delay);
        }
    }

    private static void installBridge(Instrumentation inst, final GuardState state, RedirectTransformer t) {
        try {
            boolean took = BootBridge.inject(inst, new java.util.function.Supplier<Object>() {
                @Override
                public Object get() {
                    // Made here, once the bridge exists: GuardHooks implements its interface.
                    return new GuardHooks(state);
                }
            });
            t.bridgeDone(took, took ? null : "another redirect-guard agent in this JVM owns the bridge");
        } catch (Throwable e) {
            Permissions.explain(e);
            t.bridgeDone(false, "the bridge could not be installed: " + e);
            System.err.println("redirect-guard: not installed in the JDK: " + e);
        }
    }

    /** Starts watching the config file when the settings name one (once). */
    private void watchConfig(GuardState state) {
        ConfigWatcher w = state.configWatcher();
        if (w != null) {
            w.agentArgs(givenArgs);
        } else if (state.settings().config() != null) {
            ConfigWatcher.watch(state, givenArgs);
        }
    }

    /** Registers the MBean (once per agent); on the agent's thread at start-up, at once on attach. */
    private synchronized void registerMBean(GuardState state) {
        if (mbeanRegistered || installed != state) {
            return;
        }
        try {
            final RedirectTransformer t = transformer;
            new GuardMBean(state, t.outcomes, Version.of(AgentMain.class), new java.util.function.LongSupplier() {
                @Override
                public long getAsLong() {
                    // No class of this agent has met the bridge yet if no HTTP class was loaded.
                    return t.bridged() ? RedirectGuardBridge.suppressedCount() : 0L;
                }
            }).register();
            mbeanRegistered = true;
        } catch (Throwable e) {
            Permissions.explain(e);
            System.err.println("redirect-guard: MBean " + RedirectGuardMBean.OBJECT_NAME + " not registered: " + e);
        }
    }

    /** Targets loaded before the agent (attach, or another agent first) are rewritten now. */
    static void retransformLoaded(Instrumentation inst) throws Exception {
        List<Class<?>> loaded = new ArrayList<Class<?>>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (RewriteTargets.isTarget(c.getName().replace('.', '/'))) {
                loaded.add(c);
            }
        }
        if (!loaded.isEmpty()) {
            inst.retransformClasses(loaded.toArray(new Class<?>[0]));
        }
    }
}
