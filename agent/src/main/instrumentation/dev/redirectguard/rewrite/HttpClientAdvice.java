package dev.redirectguard.rewrite;

import net.bytebuddy.asm.Advice;
import net.bytebuddy.implementation.bytecode.assign.Assigner;

/** Advice inlined into java.net.http's classes (JDK 11+). Bridge and java.base types only. */
final class HttpClientAdvice {
    private HttpClientAdvice() {
    }

    /**
     * MultiExchange's constructor runs on the thread that sends the request (send and sendAsync
     * alike): the one moment the application frame is on the stack.
     */
    static final class Sent {
        private Sent() {
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.This Object exchange, @Advice.FieldValue("client") Object client,
                         @Advice.FieldValue("userRequest") Object request) {
            java.lang.RedirectGuardBridge.hcSent(exchange, client, request);
        }
    }

    /**
     * HttpClientImpl.send, the blocking one: its exchange is built and awaited on this thread. At
     * its start the bridge notes the send for its exchange to find; at its end, returning or
     * throwing, the thread names its caller for the hops that broke a rule, if any did.
     */
    static final class BlockingSend {
        private BlockingSend() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        static void enter(@Advice.Argument(0) Object request) {
            java.lang.RedirectGuardBridge.hcSendStart(request);
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.Argument(0) Object request) {
            java.lang.RedirectGuardBridge.hcSendEnd(request);
        }
    }

    /**
     * The end of HttpRequestImpl's redirect constructor (URI, String, HttpRequestImpl other, ...),
     * the only place where its final fields may be written: the hop's method, user headers and body
     * publisher, set together from one answer of the bridge (the JDK's own values without a hop).
     */
    static final class RedirectRequest {
        private RedirectRequest() {
        }

        @Advice.OnMethodExit(suppress = Throwable.class)
        static void exit(@Advice.Argument(2) Object previous,
                         @Advice.FieldValue(value = "method", readOnly = false) String method,
                         @Advice.FieldValue(value = "userHeaders", readOnly = false,
                                 typing = Assigner.Typing.DYNAMIC) Object headers,
                         @Advice.FieldValue(value = "requestPublisher", readOnly = false,
                                 typing = Assigner.Typing.DYNAMIC) Object publisher) {
            Object[] next = java.lang.RedirectGuardBridge.hcRedirectRequest(previous, method, headers, publisher);
            method = (String) next[0];
            headers = next[1];
            publisher = next[2];
        }
    }
}
