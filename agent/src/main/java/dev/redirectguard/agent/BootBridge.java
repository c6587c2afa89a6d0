package dev.redirectguard.agent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.Collections;
import java.util.Map;
import java.util.Set;

/**
 * Puts {@code java.lang.RedirectGuardBridge} into java.base, where the rewritten JDK classes can
 * see it. JDK 9+: through a private lookup on java.lang, opened to a throwaway loader only. JDK 8:
 * Unsafe.defineClass into the boot loader. Neither appends to the boot class path, which would
 * print a VM warning and switch off class data sharing for the application's classes.
 */
final class BootBridge {
    static final String BRIDGE = "java.lang.RedirectGuardBridge";
    private static final String[] CLASSES = {"java/lang/RedirectGuardBridge$Hooks", "java/lang/RedirectGuardBridge"};

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

    static void inject(Instrumentation inst) throws Exception {
        if (present()) {
            return;
        }
        byte[][] classes = new byte[CLASSES.length][];
        for (int i = 0; i < CLASSES.length; i++) {
            classes[i] = resource(CLASSES[i] + ".class");
        }
        if (javaSpecification() >= 9) {
            injectWithLookup(inst, classes);
        } else {
            injectWithUnsafe(classes);
        }
    }

    static int javaSpecification() {
        String v = System.getProperty("java.specification.version", "1.8");
        return v.startsWith("1.") ? Integer.parseInt(v.substring(2)) : Integer.parseInt(v);
    }

    private static void injectWithLookup(Instrumentation inst, byte[][] classes) throws Exception {
        final byte[] injector = resource("dev/redirectguard/agent/BootInjector.class");
        ClassLoader throwaway = new ClassLoader(null) {
            @Override
            protected Class<?> findClass(String name) throws ClassNotFoundException {
                if (name.equals(BootInjector.class.getName())) {
                    return defineClass(name, injector, 0, injector.length);
                }
                throw new ClassNotFoundException(name);
            }
        };
        Class<?> injectorClass = throwaway.loadClass(BootInjector.class.getName());
        Class<?> moduleClass = Class.forName("java.lang.Module");
        Object javaBase = Class.class.getMethod("getModule").invoke(Object.class);
        Object target = ClassLoader.class.getMethod("getUnnamedModule").invoke(throwaway);
        Method redefineModule = Instrumentation.class.getMethod("redefineModule", moduleClass, Set.class, Map.class,
                Map.class, Set.class, Map.class);
        redefineModule.invoke(inst, javaBase, Collections.emptySet(), Collections.emptyMap(),
                Collections.singletonMap("java.lang", Collections.singleton(target)), Collections.emptySet(),
                Collections.emptyMap());
        injectorClass.getMethod("define", byte[][].class).invoke(null, (Object) classes);
    }

    private static void injectWithUnsafe(byte[][] classes) throws Exception {
        Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
        Field theUnsafe = unsafeClass.getDeclaredField("theUnsafe");
        theUnsafe.setAccessible(true);
        Object unsafe = theUnsafe.get(null);
        Method define = unsafeClass.getMethod("defineClass", String.class, byte[].class, int.class, int.class,
                ClassLoader.class, java.security.ProtectionDomain.class);
        for (int i = 0; i < classes.length; i++) {
            define.invoke(unsafe, CLASSES[i].replace('/', '.'), classes[i], 0, classes[i].length, null, null);
        }
    }

    private static byte[] resource(String name) throws IOException {
        InputStream in = BootBridge.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IOException("missing from the agent jar: " + name);
        }
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
