package dev.redirectguard.rules;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * What a client does with a hop: either it sends a next request (method, whether the body and
 * body headers go with it, which of the caller's headers go with it), or it does not follow.
 */
public final class NextRequest {
    /** Why a hop is not followed. */
    public enum Stop { NONE, RETURNED, RETRY_EXCEPTION }

    private final Stop stop;
    private final String method;
    private final boolean body;
    private final boolean bodyHeaders;
    private final Set<String> headers;

    private NextRequest(Stop stop, String method, boolean body, boolean bodyHeaders, Set<String> headers) {
        this.stop = stop;
        this.method = method;
        this.body = body;
        this.bodyHeaders = bodyHeaders;
        this.headers = headers;
    }

    /** @param headers the caller's header names that are sent again (any case) */
    public static NextRequest follow(String method, boolean body, boolean bodyHeaders, Iterable<String> headers) {
        Set<String> names = new LinkedHashSet<String>();
        for (String name : headers) {
            names.add(name.toLowerCase(Locale.ROOT));
        }
        return new NextRequest(Stop.NONE, method, body, bodyHeaders, Collections.unmodifiableSet(names));
    }

    /** The 3xx goes back to the caller. */
    public static NextRequest returned() {
        return new NextRequest(Stop.RETURNED, null, false, false, Collections.<String>emptySet());
    }

    /** The caller gets an HttpRetryException (HttpURLConnection, streamed body). */
    public static NextRequest retryException() {
        return new NextRequest(Stop.RETRY_EXCEPTION, null, false, false, Collections.<String>emptySet());
    }

    public boolean follows() {
        return stop == Stop.NONE;
    }

    public Stop stop() {
        return stop;
    }

    /** The next method, or null when not followed. */
    public String method() {
        return method;
    }

    public boolean body() {
        return body;
    }

    public boolean bodyHeaders() {
        return bodyHeaders;
    }

    /** Lower-case caller header names sent with the next request. */
    public Set<String> headers() {
        return headers;
    }

    /** For logs: the method, or how the hop ended. */
    public String describe() {
        switch (stop) {
            case RETURNED: return "none: 3xx returned";
            case RETRY_EXCEPTION: return "none: HttpRetryException";
            default: return method;
        }
    }
}
