package dev.redirectguard.agent;

import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

import java.io.InputStream;
import java.net.http.HttpClient;

/**
 * Whether this JDK's HttpClient keeps the caller's own Authorization off the wire when the client has
 * an Authenticator. JDK 12+ does; JDK 11.0.24 means to but does not (its predicate tests
 * {@code authenticator() != null} on an Optional), and an 11 update may carry the fix. So the answer
 * is read from the JDK's own predicate, once: it asks {@code Optional.isPresent()} exactly when the
 * filter works. A JDK whose class cannot be read is judged by its feature release.
 */
final class JdkAuthorizationFilter {
    private static final String UTILS = "/jdk/internal/net/http/common/Utils.class";

    private JdkAuthorizationFilter() {
    }

    /** Held by the first HttpClient hook that needs it (class initialization: once, thread-safe). */
    static final class Holder {
        static final boolean ACTIVE = probe();
    }

    static boolean active() {
        return Holder.ACTIVE;
    }

    private static boolean probe() {
        try {
            byte[] bytes = read();
            Boolean found = bytes == null ? null : asksIsPresent(bytes);
            if (found != null) {
                return found;
            }
        } catch (RuntimeException e) {
            // a class file newer than the reader: judged by the release below
        }
        return JavaVersion.feature() >= 12;
    }

    /** True or false when the predicate is found, null when this JDK has another shape. */
    static Boolean asksIsPresent(byte[] utilsClass) {
        final boolean[] seen = new boolean[2];
        new ClassReader(utilsClass).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                if (!name.startsWith("lambda$CONTEXT_RESTRICTED$")) {
                    return null;
                }
                seen[0] = true;
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitMethodInsn(int opcode, String owner, String method, String desc, boolean itf) {
                        if (owner.equals("java/util/Optional") && method.equals("isPresent")) {
                            seen[1] = true;
                        }
                    }
                };
            }
        }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return seen[0] ? Boolean.valueOf(seen[1]) : null;
    }

    private static byte[] read() {
        try {
            // A .class resource of a named module is readable by anyone (only other resources are encapsulated).
            InputStream in = HttpClient.class.getResourceAsStream(UTILS);
            return in == null ? null : BootBridge.readAll(in);
        } catch (Exception | LinkageError e) {
            return null;
        }
    }
}
