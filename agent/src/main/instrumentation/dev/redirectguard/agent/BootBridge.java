package dev.redirectguard.agent;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.function.Consumer;

/**
 * Puts {@code java.lang.RedirectGuardBridge} into java.base, where the rewritten JDK classes can
 * see it. JDK 9+: a private lookup on java.lang, opened to a throwaway loader only. JDK 8:
 * sun.misc.Unsafe.defineClass into the boot loader (reflection is cheap there). Neither appends to the boot class path, which would
 * print a VM warning and switch off class data sharing for the application's classes.
 */
final class BootBridge {
    static final String BRIDGE = "java.lang.RedirectGuardBridge";
    private static final String INJECTOR = "dev.redirectguard.agent.BootInjector";
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

    /** A loader for BootInjector alone, and the instance BootInjector hands it when it loads. */
    private static final class ThrowawayLoader extends ClassLoader implements Consumer<Object> {
        private final byte[] injector;
        private Object registered;

        ThrowawayLoader(byte[] injector) {
            super(null);
            this.injector = injector;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            if (name.equals(INJECTOR)) {
                return defineClass(name, injector, 0, injector.length);
            }
            throw new ClassNotFoundException(name);
        }

        @Override
        public void accept(Object instance) {
            registered = instance;
        }
    }

    @SuppressWarnings("unchecked")
    private static void injectWithLookup(Instrumentation inst, byte[][] classes) throws Exception {
        ThrowawayLoader throwaway = new ThrowawayLoader(resource(INJECTOR.replace('.', '/') + ".class"));
        throwaway.loadClass(INJECTOR);
        ModuleAccess.openJavaLangTo(inst, throwaway);
        Class.forName(INJECTOR, true, throwaway); // its static initializer registers an instance
        ((Consumer<byte[][]>) throwaway.registered).accept(classes);
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

    /**
     * Reads an entry of the agent's own jar through ZipFile, which shares the central directory
     * the class loader already read; a resource URL would load the jar: URL handler machinery.
     */
    private static byte[] resource(String name) throws IOException {
        java.net.URL location = BootBridge.class.getProtectionDomain().getCodeSource().getLocation();
        InputStream in;
        java.util.zip.ZipFile zip = null;
        if ("file".equals(location.getProtocol()) && location.getPath().endsWith(".jar")) {
            try {
                zip = new java.util.zip.ZipFile(new java.io.File(location.toURI()));
            } catch (java.net.URISyntaxException e) {
                throw new IOException(e.toString());
            }
            java.util.zip.ZipEntry entry = zip.getEntry(name);
            in = entry == null ? null : zip.getInputStream(entry);
        } else {
            in = BootBridge.class.getClassLoader().getResourceAsStream(name); // classes directory (tests)
        }
        if (in == null) {
            if (zip != null) {
                zip.close();
            }
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
            if (zip != null) {
                zip.close();
            }
        }
    }
}
