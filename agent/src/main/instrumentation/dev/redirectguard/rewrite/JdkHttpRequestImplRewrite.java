package dev.redirectguard.rewrite;

import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatchers;
import net.bytebuddy.pool.TypePool;

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

    /**
     * Descriptors of the {@code (URI, String, HttpRequestImpl, ...)} constructors whose body calls
     * {@code HttpRequest()} (a constructor is only ever called by invokespecial).
     */
    static List<String> superCallingRedirectConstructors(byte[] classFile) {
        return ClassRewrite.methodsCalling(classFile, "<init>", PREFIX, "java/net/http/HttpRequest", "<init>", "()V");
    }
}
