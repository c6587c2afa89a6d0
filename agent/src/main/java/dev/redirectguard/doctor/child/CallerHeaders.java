package dev.redirectguard.doctor.child;

import java.nio.charset.Charset;

/**
 * What every case sends besides its method: the caller's own headers and the body, with values
 * the doctor makes up per run. None of them appears in a URL, so if one reaches the agent's log,
 * the doctor sees a leak.
 */
public final class CallerHeaders {
    public static final Charset UTF_8 = Charset.forName("UTF-8");
    public static final String CONTENT_TYPE = "text/plain; charset=utf-8";

    public final String authorization;
    public final String cookie;
    public final String custom;
    public final byte[] body;

    CallerHeaders(String authorization, String cookie, String custom, String body) {
        this.authorization = authorization;
        this.cookie = cookie;
        this.custom = custom;
        this.body = body.getBytes(UTF_8);
    }
}
