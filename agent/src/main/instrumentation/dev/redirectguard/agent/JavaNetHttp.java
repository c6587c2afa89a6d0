package dev.redirectguard.agent;

import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/** The java.net.http calls of the HttpClient hooks. Loaded only on JDK 11+, from those hooks. */
final class JavaNetHttp {
    private JavaNetHttp() {
    }

    static Map<String, List<String>> map(Object headers) {
        return headers == null ? Collections.<String, List<String>>emptyMap() : ((HttpHeaders) headers).map();
    }

    static Object headersOf(Map<String, List<String>> values) {
        return HttpHeaders.of(values, (name, value) -> true);
    }

    static boolean hasBody(Object publisher) {
        return publisher != null && ((HttpRequest.BodyPublisher) publisher).contentLength() != 0L;
    }
}
