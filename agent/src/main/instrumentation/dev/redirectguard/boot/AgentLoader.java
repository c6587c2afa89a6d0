package dev.redirectguard.boot;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.function.Consumer;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The agent's own class loader. The agent jar keeps at its root only this bootstrap (and the
 * doctor's child programs); every other class of the agent is stored under {@code inst/} as
 * {@code .classdata}, and Byte Buddy and ASM inside {@code inst/engine.zip} ({@link EngineArchive}),
 * neither of which the application class loader can load or name.
 * So no application code can reach the agent's state, hooks or settings by reflection: it has
 * no class to start from. Classes get the agent jar's code source, so a SecurityManager policy
 * grants them exactly what it grants the jar.
 *
 * <p>Its handlers catch Exception where IOException or MalformedURLException is meant: the
 * verifier loads a handler's class when this class is linked, in premain, and neither is in the
 * JDK's class data archive (each would be read from the runtime image for every JVM start).
 *
 * <p>An entry class hands its instance to this loader from its static initializer ({@link #accept}),
 * which avoids reflective construction on the start-up path (on JDK 18+ reflection starts the
 * method-handle machinery).
 */
final class AgentLoader extends ClassLoader implements Consumer<Object> {
    static final String PREFIX = "inst/";
    static final String SUFFIX = ".classdata";
    /** The agent's classes, Byte Buddy's and ASM's (relocated beneath it) included. */
    static final String OWN_PACKAGES = "dev.redirectguard.";

    static {
        registerAsParallelCapable();
    }

    private final ZipFile jar;
    private final ProtectionDomain domain;
    private volatile Object entry;
    private final Object engineLock = new Object();
    private EngineArchive engine;
    private boolean engineOpened;

    /** @param jar the agent jar's location, as the application class loader gave it to the bootstrap */
    AgentLoader(URL jar, ClassLoader parent) throws Exception {
        super(parent);
        this.jar = new ZipFile(file(jar));
        // The bootstrap's own code source: a policy grants the agent's classes what it grants the jar.
        this.domain = new ProtectionDomain(new CodeSource(jar, (Certificate[]) null), null, this, null);
    }

    /**
     * The jar's file. A plain path (no escapes, '/' as the separator) is used as it is: parsing it
     * as a URI is about a millisecond of interpreted code at start-up.
     */
    static File file(URL jar) throws Exception {
        String path = jar.getPath();
        if ("file".equals(jar.getProtocol()) && path.indexOf('%') < 0 && File.separatorChar == '/'
                && jar.getHost().isEmpty()) {
            return new File(path);
        }
        return new File(jar.toURI());
    }

    /** The class loader the agent's classes delegate to: the platform loader (JDK 9+), the extension loader (8). */
    static ClassLoader jdkLoader() {
        ClassLoader system = ClassLoader.getSystemClassLoader();
        ClassLoader parent = system.getParent();
        return parent != null ? parent : system;
    }

    /** Loads and initialises {@code className}, whose static initializer registers an instance here. */
    Object entry(String className) throws ClassNotFoundException {
        Class.forName(className, true, this);
        return entry;
    }

    @Override
    public void accept(Object instance) {
        if (entry == null) {
            entry = instance;
        }
    }

    Object registeredEntry() {
        return entry;
    }

    /**
     * The agent's own classes come from this jar first, without asking the JDK's loaders: they
     * cannot have them, and asking costs a search of the runtime image per class at start-up. It
     * also means no class of the same name elsewhere (an extension directory, the boot class path)
     * can stand in for one of the agent's. The jar's root classes (the bootstraps, the doctor's
     * child programs) are the parent's, as before.
     */
    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!name.startsWith(OWN_PACKAGES)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                c = findOwnClass(name);
            }
            if (c == null) {
                return super.loadClass(name, resolve);
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        Class<?> c = findOwnClass(name);
        if (c == null) {
            throw new ClassNotFoundException(name);
        }
        return c;
    }

    /** The class from this jar's inst/ or its engine archive, or null when neither has it. */
    private Class<?> findOwnClass(String name) throws ClassNotFoundException {
        byte[] bytes;
        try {
            bytes = name.startsWith(EngineArchive.PACKAGE_PREFIX) ? readEngine(name.replace('.', '/') + ".class")
                    : read(PREFIX + name.replace('.', '/') + SUFFIX);
        } catch (Exception e) { // not IOException: see the class comment
            throw new ClassNotFoundException(name, e);
        }
        return bytes == null ? null : defineClass(name, bytes, 0, bytes.length, domain);
    }

    /** {@code a/b/C.class} is served from {@code inst/a/b/C.classdata}: Byte Buddy reads advice classes this way. */
    @Override
    public InputStream getResourceAsStream(String name) {
        InputStream own = ownResource(name);
        return own != null ? own : super.getResourceAsStream(name);
    }

    @Override
    protected URL findResource(String name) {
        String entryName = entryName(name);
        if (entryName == null || jar.getEntry(entryName) == null) {
            return null;
        }
        try {
            return new URL("jar:" + new File(jar.getName()).toURI().toURL() + "!/" + entryName);
        } catch (Exception e) { // MalformedURLException
            return null;
        }
    }

    private InputStream ownResource(String name) {
        String entryName = entryName(name);
        if (entryName == null) {
            return null;
        }
        try {
            if (name.replace('/', '.').startsWith(EngineArchive.PACKAGE_PREFIX)) {
                byte[] bytes = readEngine(name);
                return bytes == null ? null : new ByteArrayInputStream(bytes);
            }
            ZipEntry e = jar.getEntry(entryName);
            return e == null ? null : jar.getInputStream(e);
        } catch (Exception e) { // IOException
            return null;
        }
    }

    private static String entryName(String resource) {
        return resource.endsWith(".class")
                ? PREFIX + resource.substring(0, resource.length() - ".class".length()) + SUFFIX : null;
    }

    /** A class of Byte Buddy or ASM; the engine archive is opened at the first one asked for. */
    private byte[] readEngine(String resource) throws IOException {
        EngineArchive archive;
        synchronized (engineLock) {
            if (!engineOpened) {
                engine = EngineArchive.open(jar);
                engineOpened = true;
            }
            archive = engine;
        }
        return archive == null ? null : archive.read(resource);
    }

    private byte[] read(String entryName) throws IOException {
        ZipEntry e = jar.getEntry(entryName);
        if (e == null) {
            return null;
        }
        InputStream in = jar.getInputStream(e);
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream(e.getSize() > 0 ? (int) e.getSize() : 4096);
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
