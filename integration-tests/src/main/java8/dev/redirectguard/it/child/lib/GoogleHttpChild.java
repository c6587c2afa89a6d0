package dev.redirectguard.it.child.lib;

import com.google.api.client.http.ByteArrayContent;
import com.google.api.client.http.GenericUrl;
import com.google.api.client.http.HttpRequest;
import com.google.api.client.http.HttpRequestFactory;
import com.google.api.client.http.HttpResponse;
import com.google.api.client.http.javanet.NetHttpTransport;

/** google-http-client's NetHttpTransport (HttpURLConnection), request factory as documented. Argument: base url. */
public final class GoogleHttpChild {
    private GoogleHttpChild() {
    }

    public static void main(String[] args) {
        final HttpRequestFactory factory = new NetHttpTransport().createRequestFactory();
        LibCalls.runAll("", args[0], LibCalls.CALLS, (method, url, body) -> {
            HttpRequest request = factory.buildRequest(method, new GenericUrl(url),
                    body == null ? null : new ByteArrayContent(LibCalls.CONTENT_TYPE, body.getBytes(LibCalls.UTF_8)));
            request.getHeaders().setAuthorization(LibCalls.AUTHORIZATION);
            request.getHeaders().setCookie(LibCalls.COOKIE);
            request.getHeaders().set("X-Custom", LibCalls.CUSTOM);
            request.setThrowExceptionOnExecuteError(false);
            HttpResponse response = request.execute();
            try {
                return response.getStatusCode() + " " + response.parseAsString();
            } finally {
                response.disconnect();
            }
        });
    }
}
