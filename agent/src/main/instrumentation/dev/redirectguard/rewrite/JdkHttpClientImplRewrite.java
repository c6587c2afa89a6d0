package dev.redirectguard.rewrite;

import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatchers;
import net.bytebuddy.pool.TypePool;

/**
 * jdk.internal.net.http.HttpClientImpl (JDK 11 and later): the blocking {@code send}, which builds
 * its exchange on the calling thread (through the private four-argument {@code sendAsync}) and
 * waits there for the response. Advice at its start and its end, on every path, tells the bridge:
 * the sending thread is still there when its hops are over, so it can name its own caller then,
 * and only when a hop broke a rule.
 */
final class JdkHttpClientImplRewrite implements ClassRewrite {
    static final String SEND = "(Ljava/net/http/HttpRequest;Ljava/net/http/HttpResponse$BodyHandler;)"
            + "Ljava/net/http/HttpResponse;";
    static final String SEND_ASYNC = "(Ljava/net/http/HttpRequest;Ljava/net/http/HttpResponse$BodyHandler;"
            + "Ljava/net/http/HttpResponse$PushPromiseHandler;Ljava/util/concurrent/Executor;)"
            + "Ljava/util/concurrent/CompletableFuture;";

    @Override
    public DynamicType.Builder<?> apply(DynamicType.Builder<?> builder, TypeDescription type, TypePool pool,
                                        AdviceSource advice, Shape shape, byte[] classFile) {
        if (ClassRewrite.method(type, "send", SEND) == null) {
            shape.problem("HttpClientImpl: send" + SEND + " not found");
            return builder;
        }
        if (!sendCallsSendAsync(classFile)) {
            shape.problem("HttpClientImpl: send does not call sendAsync" + SEND_ASYNC + " on its own thread");
            return builder;
        }
        return builder.visit(advice.to(HttpClientAdvice.class.getName() + "$BlockingSend")
                .on(ElementMatchers.<MethodDescription>named("send").and(ElementMatchers.hasDescriptor(SEND))));
    }

    /** Whether send's body calls the private sendAsync that builds the exchange (so on the sending thread). */
    static boolean sendCallsSendAsync(byte[] classFile) {
        return !ClassRewrite.methodsCalling(classFile, "send", SEND, RewriteTargets.HTTP_CLIENT_IMPL, "sendAsync",
                SEND_ASYNC).isEmpty();
    }
}
