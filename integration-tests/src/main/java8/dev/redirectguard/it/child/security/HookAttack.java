package dev.redirectguard.it.child.security;

import dev.redirectguard.it.child.app.AppCalls;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Application code that attacks the agent as Found 1 and 2 of the security issue did: it looks
 * for a public way to install, read or remove the bridge's hooks, tries the private one by
 * reflection with a {@link Proxy} that records everything it is given, walks every static field
 * of every class the application class loader can load from the agent jar for the agent's
 * {@link Instrumentation} or any object of the agent's own loader, names the agent's classes,
 * and calls the jar's {@code agentmain("mode=off", ...)} with a fake Instrumentation. Its HTTP
 * calls (as {@link AppCalls}, under {@code <base>/before} and {@code <base>/after}) show whether
 * enforcement held. Java 8.
 *
 * <p>Arguments: {@code <base url> <agent jar> [--wait-for-attach] <call>...}. With
 * {@code --wait-for-attach} it first makes the calls under {@code <base>/warmup} (the JDK's HTTP
 * classes are loaded before the agent), prints {@code waiting-for-agent} and reads one line from
 * stdin. Output: {@code result<TAB><call><TAB><outcome>} per call (in order: before, after) and
 * {@code probe<TAB><name><TAB><what happened>} per probe.
 */
public final class HookAttack {
    static final String BRIDGE = "java.lang.RedirectGuardBridge";
    static final String AGENT_LOADER = "dev.redirectguard.boot.AgentLoader";
    /** Classes of the agent that live in its own loader: the application's loader must not find them. */
    static final String[] AGENT_CLASSES = {"dev.redirectguard.agent.AgentMain", "dev.redirectguard.agent.GuardState",
        "dev.redirectguard.agent.GuardHooks", "dev.redirectguard.agent.BootBridge", "dev.redirectguard.agent.BootInjector",
        "dev.redirectguard.agent.RedirectTransformer", "dev.redirectguard.agent.AgentThread",
        "dev.redirectguard.agent.RedirectGuardAgent", "dev.redirectguard.config.Settings",
        "dev.redirectguard.cli.Cli", "dev.redirectguard.shaded.bytebuddy.ByteBuddy",
        "inst.dev.redirectguard.agent.AgentMain"};

    private HookAttack() {
    }

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String agentJar = args[1];
        int first = 2;
        if (args.length > 2 && args[2].equals("--wait-for-attach")) {
            first = 3;
        }
        String[] calls = Arrays.copyOfRange(args, first, args.length);
        if (first == 3) {
            AppCalls.run(base + "/warmup", calls);
            System.out.println("waiting-for-agent");
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, "UTF-8")).readLine();
        }
        AppCalls.run(base + "/before", calls);

        Recorder hooksProxy = new Recorder();
        attackBridge(hooksProxy);
        inaccessibleAgentClasses();
        walkAgentJarStatics(agentJar);
        fakeAgentmain();

        AppCalls.run(base + "/after", calls);
        probe("hooks-proxy-calls", hooksProxy.calls.get() + " calls, header values seen: " + hooksProxy.sawHeaderValue);
        System.out.println("done");
        System.out.flush();
    }

    static void probe(String name, String outcome) {
        System.out.println("probe\t" + name + "\t" + outcome.replace('\n', ' ').replace('\t', ' '));
        System.out.flush();
    }

    /** A Proxy's handler that records every call and whether any argument carried a caller header value. */
    static final class Recorder implements InvocationHandler {
        final AtomicInteger calls = new AtomicInteger();
        volatile boolean sawHeaderValue;

        @Override
        public Object invoke(Object proxy, Method method, Object[] args) {
            if (method.getDeclaringClass() == Object.class) {
                return method.getName().equals("hashCode") ? System.identityHashCode(proxy)
                        : method.getName().equals("equals") ? proxy == args[0] : "Recorder";
            }
            calls.incrementAndGet();
            if (args != null && Arrays.deepToString(args).contains("token-lib")) {
                sawHeaderValue = true;
            }
            System.out.println("proxy-called\t" + method.getName());
            Class<?> r = method.getReturnType();
            return r == boolean.class ? Boolean.FALSE : r == int.class ? 0 : null;
        }
    }

    /** Found 1: any public way in, the private install by reflection, the private hooks field. */
    static void attackBridge(Recorder recorder) {
        Class<?> bridge;
        Class<?> hooks;
        try {
            bridge = Class.forName(BRIDGE);
            hooks = Class.forName(BRIDGE + "$Hooks");
            probe("bridge-class", "found, loader " + bridge.getClassLoader());
        } catch (Throwable t) {
            probe("bridge-class", "not found: " + t);
            return;
        }
        List<String> exposed = new ArrayList<String>();
        for (Method m : bridge.getMethods()) {
            boolean takesOrGivesHooks = m.getReturnType() == hooks || Arrays.asList(m.getParameterTypes()).contains(hooks);
            if (m.getName().equals("install") || takesOrGivesHooks || m.getName().toLowerCase().contains("hook")) {
                exposed.add(m.toString());
            }
        }
        for (Field f : bridge.getFields()) {
            exposed.add(f.toString());
        }
        probe("public-members", exposed.isEmpty() ? "none" : exposed.toString());
        try {
            bridge.getMethod("install", hooks);
            probe("getMethod-install", "found");
        } catch (Throwable t) {
            probe("getMethod-install", t.getClass().getName());
        }

        Object proxy = Proxy.newProxyInstance(HookAttack.class.getClassLoader(), new Class<?>[] {hooks}, recorder);
        try {
            Method install = bridge.getDeclaredMethod("install", hooks);
            install.setAccessible(true);
            probe("setAccessible-install", "ok");
            probe("install-proxy", String.valueOf(invoke(install, proxy)));
            probe("install-null", String.valueOf(invoke(install, null)));
        } catch (Throwable t) {
            probe("setAccessible-install", t.getClass().getName());
        }
        try {
            Class<?> installed = Class.forName("java.lang.RedirectGuardBridge$Installed", false, null);
            Field field = installed.getDeclaredField("HOOKS");
            field.setAccessible(true);
            Object h = field.get(null);
            probe("hooks-field-read", h == null ? "null" : "read " + h.getClass().getName() + " of loader "
                    + (h.getClass().getClassLoader() == null ? "boot" : h.getClass().getClassLoader().getClass().getName()));
            try {
                field.set(null, proxy);
                probe("hooks-field-write", Boolean.toString(field.get(null) == proxy));
            } catch (Throwable t) {
                probe("hooks-field-write", t.getClass().getName());
            }
        } catch (Throwable t) {
            probe("hooks-field-read", t.getClass().getName());
            probe("hooks-field-write", t.getClass().getName());
        }
    }

    private static Object invoke(Method m, Object argument) {
        try {
            return m.invoke(null, argument);
        } catch (InvocationTargetException e) {
            return "threw " + e.getCause();
        } catch (Throwable t) {
            return "threw " + t;
        }
    }

    /** Found 2: the agent's own classes are not there to start from. */
    static void inaccessibleAgentClasses() {
        List<String> loaded = new ArrayList<String>();
        for (String name : AGENT_CLASSES) {
            try {
                Class.forName(name, false, ClassLoader.getSystemClassLoader());
                loaded.add(name);
            } catch (ClassNotFoundException expected) {
                // what the isolation promises
            } catch (Throwable t) {
                loaded.add(name + " (" + t + ")");
            }
        }
        probe("agent-classes-by-name", loaded.isEmpty() ? "none loadable" : "loadable: " + loaded);
    }

    /**
     * Every {@code .class} entry of the agent jar (its root) through the application class loader,
     * and every {@code inst/*.classdata} name, which must not load; then the walk of the statics.
     */
    static void walkAgentJarStatics(String agentJar) throws Exception {
        List<Class<?>> roots = new ArrayList<Class<?>>();
        List<String> rootNotLoadable = new ArrayList<String>();
        List<String> instLoadable = new ArrayList<String>();
        int instEntries = 0;
        ClassLoader app = ClassLoader.getSystemClassLoader();
        ZipFile jar = new ZipFile(agentJar);
        try {
            for (Enumeration<? extends ZipEntry> e = jar.entries(); e.hasMoreElements(); ) {
                String entry = e.nextElement().getName();
                if (entry.endsWith(".class")) {
                    String name = entry.substring(0, entry.length() - ".class".length()).replace('/', '.');
                    try {
                        roots.add(Class.forName(name, true, app));
                    } catch (Throwable t) {
                        // e.g. a doctor child class naming java.net.http on JDK 8
                        rootNotLoadable.add(name + " (" + t.getClass().getSimpleName() + ")");
                    }
                } else if (entry.startsWith("inst/") && entry.endsWith(".classdata")) {
                    instEntries++;
                    String name = entry.substring("inst/".length(), entry.length() - ".classdata".length()).replace('/', '.');
                    try {
                        Class<?> c = Class.forName(name, false, app);
                        if (!(c.getClassLoader() == null && name.startsWith(BRIDGE))) {
                            instLoadable.add(name); // the bridge itself lives in java.base, by design
                        }
                    } catch (ClassNotFoundException expected) {
                        // only the agent's loader reads .classdata
                    } catch (Throwable t) {
                        instLoadable.add(name + " (" + t + ")");
                    }
                }
            }
        } finally {
            jar.close();
        }
        probe("jar-root-classes", roots.size() + " loadable " + names(roots) + ", not loadable " + rootNotLoadable);
        probe("jar-inst-classes", instEntries + " entries, loadable by the application: "
                + (instLoadable.isEmpty() ? "none" : instLoadable.toString()));
        StaticsWalk walk = new StaticsWalk(AGENT_LOADER, 8, 500000);
        for (Class<?> c : roots) {
            walk.fromStatics(c);
        }
        probe("statics-walk", walk.summary());
    }

    private static List<String> names(List<Class<?>> classes) {
        List<String> out = new ArrayList<String>();
        for (Class<?> c : classes) {
            out.add(c.getName());
        }
        return out;
    }

    /**
     * The jar's public {@code agentmain} and {@code premain}, called by the application with
     * {@code mode=off} and Instrumentation proxies (one from the application's loader, one from the
     * boot loader): they must change nothing, and use nothing of the fake.
     */
    static void fakeAgentmain() {
        Recorder fake = new Recorder();
        List<String> outcomes = new ArrayList<String>();
        try {
            Class<?> bootstrap = Class.forName("dev.redirectguard.boot.AgentBootstrap");
            for (String entry : new String[] {"agentmain", "premain"}) {
                for (ClassLoader loader : new ClassLoader[] {HookAttack.class.getClassLoader(), null}) {
                    Object inst = Proxy.newProxyInstance(loader, new Class<?>[] {Instrumentation.class}, fake);
                    Method m = bootstrap.getMethod(entry, String.class, Instrumentation.class);
                    if (!Modifier.isStatic(m.getModifiers())) {
                        outcomes.add(entry + " not static");
                        continue;
                    }
                    try {
                        m.invoke(null, "mode=off", inst);
                        outcomes.add(entry + " returned");
                    } catch (InvocationTargetException e) {
                        outcomes.add(entry + " threw " + e.getCause());
                    }
                }
            }
        } catch (Throwable t) {
            outcomes.add("threw " + t);
        }
        probe("fake-agentmain", outcomes + ", fake Instrumentation calls " + fake.calls.get());
    }
}
