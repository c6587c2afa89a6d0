package dev.redirectguard.rewrite;

import net.bytebuddy.ByteBuddy;
import net.bytebuddy.ClassFileVersion;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.TypeResolutionStrategy;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.pool.TypePool;

/**
 * Rewrites one JDK class with Byte Buddy: {@code decorate} (the class is kept as it is, only the
 * visitors of its rewrite run; no method graph, no validation, no auxiliary types), types
 * resolved lazily from the class's own bytes and its loader's class files. Loaded at the first
 * target class, never at start-up.
 */
public final class Rewrites {
    private final AdviceSource advice;
    private final ByteBuddy byteBuddy = new ByteBuddy()
            .with(TypeValidation.DISABLED)
            .with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE)
            .with(Implementation.Context.Disabled.Factory.INSTANCE);

    /** @param agentLoader the loader whose resources hold the advice classes */
    public Rewrites(ClassLoader agentLoader) {
        this.advice = new AdviceSource(agentLoader);
    }

    static ClassRewrite forClass(String internalName) {
        if (internalName.equals(RewriteTargets.HTTP_URL_CONNECTION)) {
            return new SunHttpUrlConnectionRewrite();
        }
        if (internalName.equals(RewriteTargets.REDIRECT_FILTER)) {
            return new JdkRedirectFilterRewrite();
        }
        if (internalName.equals(RewriteTargets.HTTP_REQUEST_IMPL)) {
            return new JdkHttpRequestImplRewrite();
        }
        if (internalName.equals(RewriteTargets.MULTI_EXCHANGE)) {
            return new JdkMultiExchangeRewrite();
        }
        if (internalName.equals(RewriteTargets.HTTP_CLIENT_IMPL)) {
            return new JdkHttpClientImplRewrite();
        }
        throw new IllegalArgumentException(internalName);
    }

    /**
     * The rewritten class.
     *
     * @param loader the class's defining loader, null for the boot loader: its class files resolve
     *     the types the rewrite meets
     * @throws ShapeException when the class lacks a member or an instruction pattern the rewrite
     *     expects: it must then be left as the JDK shipped it; the message lists what was missing
     */
    public byte[] rewrite(String internalName, byte[] original, ClassLoader loader) throws ShapeException {
        return rewrite(internalName, original,
                loader == null ? ClassFileLocator.ForClassLoader.ofBootLoader() : ClassFileLocator.ForClassLoader.of(loader));
    }

    /** As above, with the class files of the JDK the class comes from (for checking another JDK's classes). */
    public byte[] rewrite(String internalName, byte[] original, ClassFileLocator jdkClasses) throws ShapeException {
        // A class file newer than this Byte Buddy knows (a JDK released after it) is read as the
        // newest version it knows and written back with its own: where the code shape is the
        // expected one, the rewrite is the same; a construct the reader does not know fails the read,
        // and the class is left untouched.
        int major = major(original);
        int known = ClassFileVersion.latest().getMajorVersion();
        byte[] input = major > known ? withMajor(original, known) : original;
        String name = internalName.replace('/', '.');
        ClassFileLocator locator = new ClassFileLocator.Compound(ClassFileLocator.Simple.of(name, input), jdkClasses);
        TypePool pool = new TypePool.Default.WithLazyResolution(new TypePool.CacheProvider.Simple(), locator,
                TypePool.Default.ReaderMode.FAST);
        TypeDescription type = pool.describe(name).resolve();
        Shape shape = new Shape();
        DynamicType.Builder<?> builder = forClass(internalName).apply(byteBuddy.decorate(type, locator), type, pool,
                advice, shape, input);
        if (shape.hasProblems()) {
            shape.check();
        }
        byte[] rewritten;
        try {
            rewritten = builder.make(TypeResolutionStrategy.Disabled.INSTANCE, pool).getBytes();
        } catch (RuntimeException e) {
            throw new ShapeException("Byte Buddy cannot rewrite it: " + e);
        }
        shape.check();
        return major > known ? withMajor(rewritten, major) : rewritten;
    }

    static int major(byte[] classFile) {
        return ((classFile[6] & 0xff) << 8) | (classFile[7] & 0xff);
    }

    private static byte[] withMajor(byte[] classFile, int major) {
        byte[] copy = classFile.clone();
        copy[6] = (byte) (major >>> 8);
        copy[7] = (byte) major;
        return copy;
    }
}
