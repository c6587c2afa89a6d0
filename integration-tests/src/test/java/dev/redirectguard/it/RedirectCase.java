package dev.redirectguard.it;

import java.util.Locale;

/**
 * One row of the case table: the client asks origin A for {@code /c/<id>/start}, which answers
 * {@code status} with a Location of {@code /c/<id>/target} on origin A (same origin) or origin B.
 *
 * @param scheme     "http" or "https" (both hops use it)
 * @param bodyMode   HttpURLConnection: none, buffered, fixed, chunked; HttpClient: none, string, input-stream
 * @param invocation HttpClient: "send" or "async"; "-" for HttpURLConnection
 */
record RedirectCase(Client client, String scheme, String method, int status, String bodyMode,
                    boolean sameOrigin, String invocation) {

    String id() {
        String id = String.join("-", client.idPrefix, scheme, method, String.valueOf(status), bodyMode,
                sameOrigin ? "same" : "other");
        return ("async".equals(invocation) ? id + "-async" : id).toLowerCase(Locale.ROOT);
    }

    String startPath() {
        return "/c/" + id() + "/start";
    }

    String targetPath() {
        return "/c/" + id() + "/target";
    }

    boolean hasBody() {
        return !"none".equals(bodyMode);
    }

    /** HttpURLConnection's streaming modes: the body cannot be sent a second time. */
    boolean streamedBody() {
        return client == Client.HUC && ("fixed".equals(bodyMode) || "chunked".equals(bodyMode));
    }
}
