package dev.redirectguard.agent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.security.ProtectionDomain;
import java.util.function.Function;

/**
 * Puts {@code java.lang.RedirectGuardBridge} into java.base, where the rewritten JDK classes can
 * see it, and installs the agent's hooks in it: the capability only the agent holds. JDK 9+: a
 * private lookup on java.lang, opened by {@code Instrumentation.redefineModule} to one throwaway
 * loader whose only class is {@link BootInjector}, so the application's code never gets that
 * access, and the bridge's private install is reached only from there. JDK 8:
 * sun.misc.Unsafe.defineClass into the boot loader and reflection (a SecurityManager denies both
 * to application code). Neither appends to the boot class path, which would print a VM warning
 * and switch off class data sharing for the application's classes.
 */
final class BootBridge {
    static final String BRIDGE = "java.lang.RedirectGuardBridge";
    private static final String INJECTOR = "dev.redirectguard.agent.BootInjector";
    /** Nested classes first: the bridge names them. */
    private static final String[] CLASSES = {"java/lang/RedirectGuardBridge$Hooks", "java/lang/RedirectGuardBridge$HucPlan",
        "java/lang/RedirectGuardBridge$Owner", "java/lang/RedirectGuardBridge$Installed", "java/lang/RedirectGuardBridge"};

    private BootBridge() {
    }

    static boolean present() {
        try {
            Class.forName(BRIDGE, false, null);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /**
     * Defines the bridge (unless it exists) and installs the hooks that {@code hooks} makes once
     * the bridge's interface exists. False when a bridge had hooks already (another copy of the
     * agent installed it): this copy then stays out of the JDK's way.
     */
    @SuppressWarnings("unchecked")
    static boolean inject(Instrumentation inst, java.util.function.Supplier<Object> hooks) throws Exception {
        boolean exists = present();
        if (JavaVersion.feature() >= 9) {
            ThrowawayLoader throwaway = new ThrowawayLoader(resource(INJECTOR.replace('.', '/') + ".class"),
                    BootBridge.class.getProtectionDomain());
            throwaway.loadClass(INJECTOR);
            ModuleAccess.openJavaLangTo(inst, throwaway);
            Class.forName(INJECTOR, true, throwaway); // its static initializer registers an instance
            Function<Object, Object> injector = (Function<Object, Object>) throwaway.registered;
            if (!exists) {
                injector.apply(classes());
            }
            return Boolean.TRUE.equals(injector.apply(hooks.get()));
        }
        if (!exists) {
            defineWithUnsafe(classes());
        }
        return install(hooks.get());
    }

    private static byte[][] classes() throws IOException {
        byte[][] classes = new byte[CLASSES.length][];
        for (int i = 0; i < CLASSES.length; i++) {
            classes[i] = resource(CLASSES[i] + ".class");
        }
        return classes;
    }

    /** A loader for BootInjector alone, and the instance BootInjector hands it when it loads. */
    private static final class ThrowawayLoader extends ClassLoader implements java.util.function.Consumer<Object> {
        private final byte[] injector;
        private final ProtectionDomain domain;
        private Object registered;

        ThrowawayLoader(byte[] injector, ProtectionDomain domain) {
            super(null);
            this.injector = injector;
            this.domain = domain;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            if (name.equals(INJECTOR)) {
                // The agent's own code source: a SecurityManager grants the injector what it grants the agent.
                return defineClass(name, injector, 0, injector.length, domain);
            }
            throw new ClassNotFoundException(name);
        }

        @Override
        public void accept(Object instance) {
            registered = instance;
        }
    }

    private static void defineWithUnsafe(byte[][] classes) throws Exception {
        Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
        Field theUnsafe = unsafeClass.getDeclaredField("theUnsafe");
        theUnsafe.setAccessible(true);
        Object unsafe = theUnsafe.get(null);
        Method define = unsafeClass.getMethod("defineClass", String.class, byte[].class, int.class, int.class,
                ClassLoader.class, ProtectionDomain.class);
        for (int i = 0; i < classes.length; i++) {
            define.invoke(unsafe, CLASSES[i].replace('/', '.'), classes[i], 0, classes[i].length, null, null);
        }
    }

    /** JDK 8: the bridge's private install, by reflection. */
    private static boolean install(Object hooks) throws Exception {
        Class<?> bridge = Class.forName(BRIDGE, false, null);
        Class<?> hooksType = Class.forName(BRIDGE + "$Hooks", false, null);
        Method install = bridge.getDeclaredMethod("install", hooksType);
        install.setAccessible(true);
        return Boolean.TRUE.equals(install.invoke(null, hooks));
    }

    /** An entry of the agent's own code (the agent jar's {@code inst/} directory, or the classes directory). */
    static byte[] resource(String name) throws IOException {
        InputStream in = BootBridge.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IOException("missing from the agent jar: " + name);
        }
        return readAll(in);
    }

    /** All of a stream's bytes; closes it. */
    static byte[] readAll(InputStream in) throws IOException {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[8192];
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } finally {
            in.close();
        }
    }
}
