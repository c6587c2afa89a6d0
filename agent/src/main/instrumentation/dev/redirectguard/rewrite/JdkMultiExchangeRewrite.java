package dev.redirectguard.rewrite;

import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatchers;
import net.bytebuddy.pool.TypePool;

/**
 * jdk.internal.net.http.MultiExchange (JDK 11 and later): its constructor runs on the thread that
 * sends the request, the only place where the application frame of an HttpClient call is on the
 * stack (the hops run on the client's executor). Advice at its end tells the bridge.
 */
final class JdkMultiExchangeRewrite implements ClassRewrite {
    @Override
    public DynamicType.Builder<?> apply(DynamicType.Builder<?> builder, TypeDescription type, TypePool pool,
                                        AdviceSource advice, Shape shape, byte[] classFile) {
        ClassRewrite.requireField(shape, type, "client", "Ljdk/internal/net/http/HttpClientImpl;");
        ClassRewrite.requireField(shape, type, "userRequest", "Ljava/net/http/HttpRequest;");
        int constructors = type.getDeclaredMethods().filter(ElementMatchers.<MethodDescription>isConstructor()).size();
        if (constructors < 1) {
            shape.problem("MultiExchange: no constructor");
        }
        return builder.visit(advice.to(HttpClientAdvice.class.getName() + "$Sent")
                .on(ElementMatchers.<MethodDescription>isConstructor()));
    }
}
