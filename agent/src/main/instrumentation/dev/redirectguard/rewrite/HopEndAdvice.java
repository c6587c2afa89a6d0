package dev.redirectguard.rewrite;

import net.bytebuddy.asm.Advice;

/**
 * Inlined at the exit of the JDK method that encloses a hop (HttpURLConnection.followRedirect,
 * RedirectFilter.handleResponse), on every path, returned or thrown: the hop's decision is dropped
 * there, so nothing of it outlives the hop. It names only the bridge, which java.base can see.
 */
final class HopEndAdvice {
    private HopEndAdvice() {
    }

    /** The hop's own object: the connection (HttpURLConnection), the request being redirected (HttpClient). */
    @java.lang.annotation.Retention(java.lang.annotation.RetentionPolicy.RUNTIME)
    @interface HopOwner {
    }

    static final class UrlConnection {
        private UrlConnection() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@Advice.This Object connection) {
            java.lang.RedirectGuardBridge.hucHopEnd(connection);
        }
    }

    static final class HttpClient {
        private HttpClient() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        static void exit(@HopOwner Object previousRequest) {
            java.lang.RedirectGuardBridge.hcHopEnd(previousRequest);
        }
    }
}
