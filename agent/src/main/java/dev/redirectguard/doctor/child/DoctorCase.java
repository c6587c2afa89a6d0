package dev.redirectguard.doctor.child;

/**
 * One request of the doctor's case list, as the child reads it: a tab-separated line
 * {@code case <id> <client> <method> <body> <redirects> <url>}. The doctor writes these lines
 * (dev.redirectguard.cli.DoctorCase); the format is repeated there rather than shared, because
 * this package must load from the jar's class path on its own, without any other agent package.
 */
public final class DoctorCase {
    public final String id;
    /** {@code HttpURLConnection} or {@code HttpClient}. */
    public final String client;
    public final String method;
    /** none | buffered | fixed | chunked (HttpURLConnection); none | string | input-stream (HttpClient). */
    public final String body;
    /** HttpClient only: normal or always ({@code HttpClient.Redirect}); "-" otherwise. */
    public final String redirects;
    public final String url;

    DoctorCase(String id, String client, String method, String body, String redirects, String url) {
        this.id = id;
        this.client = client;
        this.method = method;
        this.body = body;
        this.redirects = redirects;
        this.url = url;
    }

    static DoctorCase parse(String[] f) {
        if (f.length != 7) {
            throw new IllegalArgumentException("a case line has 7 fields, not " + f.length);
        }
        return new DoctorCase(f[1], f[2], f[3], f[4], f[5], f[6]);
    }

    public boolean hasBody() {
        return !"none".equals(body);
    }
}
