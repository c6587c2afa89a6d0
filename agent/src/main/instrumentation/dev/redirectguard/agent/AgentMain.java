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
 * settings, register one transformer, start the agent's thread); the bridge, Byte Buddy and the
 * rewrites come with the first redirect class. The Instrumentation stays with the transformer,
 * in this loader, which no application class can name. Nothing here may stop the JVM from starting.
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
        boolean given = args != null && !args.trim().isEmpty();
        if (given) {
            givenArgs = givenArgs.isEmpty() ? args : givenArgs + "," + args;
        }
        if (installed != null) {
            // Attached again: the keys given replace the live ones, the others stay as they are
            // (later keys win in the argument syntax, and agent arguments beat everything else).
            Settings settings = settings(given ? installed.settings() + "," + args : installed.settings().toString());
            installed.apply(settings); // new settings, same rewrites
            watchConfig(installed);
            if (attached && settings.jmxDelaySeconds() != Settings.JMX_OFF) {
                registerMBean(installed);
            }
            return;
        }
        // The settings first, here: a bad value's line must reach stderr even in a JVM that ends at once.
        Settings settings = settings(args);
        if (settings.mode() == Mode.OFF && settings.config() == null) {
            return; // off: nothing installed (with a config file, off is installed, so that an edit can switch it on)
        }
        // Start-up does only what cannot wait: the settings, the transformer (a name comparison per
        // class), the targets loaded before the agent (by an agent ahead of this one; rewritten
        // before the application's main runs; usually there are none) and the agent's thread, which
        // does the rest beside the JVM's own start. An attach does it all on the attaching thread.
        GuardState state = new GuardState(settings);
        installed = state;
        transformer = new RedirectTransformer(inst, state);
        System.setProperty(INSTALLED_PROPERTY, "installed");
        registerTransformer(inst, transformer);
        rewriteLoadedTargets(inst);
        if (attached) {
            settle(settings, state, true);
            return;
        }
        thread = AgentThread.create(state, this);
        thread.start(true);
    }

    /** On the agent's thread, once, at start-up: the rest of installing, beside the JVM's own start. */
    synchronized void settleAtStart() {
        try {
            settle(installed.settings(), installed, false);
        } catch (Throwable e) {
            Permissions.explain(e);
            System.err.println("redirect-guard: not installed: " + e);
            transformer.remove();
        }
    }

    private static void registerTransformer(Instrumentation inst, RedirectTransformer t) {
        // Everything the transformer needs for a class that is no target is loaded before it is
        // registered: loading it later would call the transformer for itself, mid-definition.
        RewriteTargets.isTarget("");
        inst.addTransformer(t, true);
    }

    /** The settings from every source, each bad value one stderr line. */
    private static Settings settings(String args) {
        java.util.Properties properties = System.getProperties();
        java.util.Map<String, String> env = environmentMayNameSettings()
                ? System.getenv() : java.util.Collections.<String, String>emptyMap();
        if (Settings.nothingGiven(args, properties, env)) {
            return Settings.defaults(); // the common start: the parser's classes are not even loaded
        }
        List<String> errors = new ArrayList<String>();
        Settings settings = SettingsParser.loadAtStart(args, properties, env, errors);
        for (String line : errors) {
            System.err.println("redirect-guard: " + line);
        }
        return settings;
    }

    /**
     * False when this process's environment, read as Linux shows it, surely names no setting; true
     * otherwise (elsewhere, or when it cannot be read whole), and then the JDK is asked. A variable
     * of the agent can only come from the environment the JVM was started with, which that file is.
     */
    private static boolean environmentMayNameSettings() {
        try {
            java.io.FileInputStream in = new java.io.FileInputStream("/proc/self/environ");
            try {
                byte[] block = new byte[16384];
                int length = 0;
                for (int n; (n = in.read(block, length, block.length - length)) > 0; ) {
                    length += n;
                    if (length == block.length) {
                        block = java.util.Arrays.copyOf(block, block.length * 2);
                    }
                }
                return Settings.environmentBlockNamesSettings(block, length);
            } finally {
                in.close();
            }
        } catch (Exception e) { // not IOException: see AgentLoader's class comment
            return true;
        }
    }

    /** The rest of installing, once the transformer is registered: the thread, the config file, the MBean. */
    private void settle(Settings settings, GuardState state, boolean attached) {
        if (thread == null) {
            thread = AgentThread.create(state, this);
            thread.start(false);
        }
        watchConfig(state);
        int delay = settings.jmxDelaySeconds();
        if (attached && delay != Settings.JMX_OFF) {
            registerMBean(state);
        } else if (delay != Settings.JMX_OFF) {
            thread.scheduleMBean(delay);
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

    /** On the agent's thread, when the MBean is due. */
    void registerScheduledMBean() {
        registerMBean(installed);
    }

    /** Registers the MBean (once per agent); on the agent's thread at start-up, at once on attach. */
    private synchronized void registerMBean(GuardState state) {
        if (mbeanRegistered || installed != state) {
            return;
        }
        try {
            SuppressedCount.registerMBean(state, transformer);
            mbeanRegistered = true;
        } catch (Throwable e) {
            Permissions.explain(e);
            System.err.println("redirect-guard: MBean " + RedirectGuardMBean.OBJECT_NAME + " not registered: " + e);
        }
    }

    /**
     * The bridge's count of suppressed hook failures, for the MBean, which is made here too: a
     * class that passes an object as a LongSupplier makes the verifier load that interface, from
     * the runtime image, when the class is linked; AgentMain is linked in premain, this class only
     * when the MBean is due.
     */
    private static final class SuppressedCount implements java.util.function.LongSupplier {
        private final RedirectTransformer transformer;

        private SuppressedCount(RedirectTransformer transformer) {
            this.transformer = transformer;
        }

        static void registerMBean(GuardState state, RedirectTransformer transformer) throws Exception {
            new GuardMBean(state, transformer.outcomes, Version.of(AgentMain.class), new SuppressedCount(transformer))
                    .register();
        }

        @Override
        public long getAsLong() {
            // No class of this agent has met the bridge yet if no HTTP class was loaded.
            return transformer.bridged() ? RedirectGuardBridge.suppressedCount() : 0L;
        }
    }

    /**
     * Targets loaded before the agent (attach, or an agent ahead of this one at start) are rewritten
     * now. Usually there are none, and the bridge, Byte Buddy and the rewrites wait for the first
     * HTTP class.
     */
    private static void rewriteLoadedTargets(Instrumentation inst) {
        Class<?>[] loaded = loadedTargets(inst);
        if (loaded.length > 0) {
            try {
                inst.retransformClasses(loaded);
            } catch (Throwable e) {
                Permissions.explain(e);
                System.err.println("redirect-guard: HTTP classes loaded before the agent not rewritten: " + e);
            }
        }
    }

    /**
     * The targets among the loaded classes. Only a class that can be one has its name read: the JVM
     * makes an interned String of a class's name when first asked, and doing that for the several
     * hundred classes loaded by premain was about a third of what the agent added to a hello world's
     * start-up. A candidate is a subclass of java.net.HttpURLConnection or a class of the JDK's
     * platform loader, which defines java.net.http (JDK 11+; on 8 the extension loader, which has
     * no target): a field read each, where asking for the module's name took a call per class.
     */
    private static Class<?>[] loadedTargets(Instrumentation inst) {
        List<Class<?>> loaded = new ArrayList<Class<?>>();
        Class<?>[] all = inst.getAllLoadedClasses();
        Class<?> urlConnectionBase = RewriteTargets.urlConnectionSuperclass();
        ClassLoader platform = ClassLoader.getSystemClassLoader().getParent();
        for (Class<?> c : all == null ? new Class<?>[0] : all) {
            boolean candidate = c.getSuperclass() == urlConnectionBase
                    || platform != null && c.getClassLoader() == platform;
            if (candidate && RewriteTargets.isTarget(c.getName().replace('.', '/'))) {
                loaded.add(c);
            }
        }
        return loaded.toArray(new Class<?>[0]);
    }
}
