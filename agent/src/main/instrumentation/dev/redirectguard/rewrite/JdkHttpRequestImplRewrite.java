package dev.redirectguard.rewrite;

import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.matcher.ElementMatchers;
import net.bytebuddy.pool.TypePool;

import java.util.ArrayList;
import java.util.List;

/**
 * jdk.internal.net.http.HttpRequestImpl (JDK 11 and later): the private constructor that builds a
 * redirect's request, {@code (URI uri, String method, HttpRequestImpl other, ...)}, also used by
 * authentication retries. Advice at its end sets {@code method}, {@code userHeaders} and
 * {@code requestPublisher} (final fields: only a constructor of the class may write them) from the
 * bridge's one answer, which is the JDK's own unless a hop decided otherwise for {@code other}.
 * Only the variant that calls {@code super()} is advised (21 and later chain a 4-argument
 * constructor to a 5-argument one), so the advice runs once per request.
 */
final class JdkHttpRequestImplRewrite implements ClassRewrite {
    private static final String NAME = RewriteTargets.HTTP_REQUEST_IMPL;
    private static final String PREFIX = "(Ljava/net/URI;Ljava/lang/String;L" + NAME + ";";

    @Override
    public DynamicType.Builder<?> apply(DynamicType.Builder<?> builder, TypeDescription type, TypePool pool,
                                        AdviceSource advice, Shape shape, byte[] classFile) {
        ClassRewrite.requireField(shape, type, "method", "Ljava/lang/String;");
        ClassRewrite.requireField(shape, type, "userHeaders", "Ljava/net/http/HttpHeaders;");
        ClassRewrite.requireField(shape, type, "requestPublisher", "Ljava/net/http/HttpRequest$BodyPublisher;");
        final List<String> advised = superCallingRedirectConstructors(classFile);
        if (advised.size() != 1) {
            shape.problem("HttpRequestImpl: expected 1 redirect constructor calling super(), found " + advised);
            return builder;
        }
        return builder.visit(advice.to(HttpClientAdvice.class.getName() + "$RedirectRequest")
                .on(ElementMatchers.<MethodDescription>isConstructor()
                        .and(ElementMatchers.hasDescriptor(advised.get(0)))));
    }

    /** Descriptors of the {@code (URI, String, HttpRequestImpl, ...)} constructors whose body calls {@code HttpRequest()}. */
    static List<String> superCallingRedirectConstructors(byte[] classFile) {
        final List<String> found = new ArrayList<String>();
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, final String descriptor, String signature,
                                             String[] exceptions) {
                if (!name.equals("<init>") || !descriptor.startsWith(PREFIX)) {
                    return null;
                }
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitMethodInsn(int opcode, String owner, String n, String d, boolean itf) {
                        if (opcode == Opcodes.INVOKESPECIAL && owner.equals("java/net/http/HttpRequest")
                                && n.equals("<init>") && d.equals("()V")) {
                            found.add(descriptor);
                        }
                    }
                };
            }
        }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return found;
    }
}
