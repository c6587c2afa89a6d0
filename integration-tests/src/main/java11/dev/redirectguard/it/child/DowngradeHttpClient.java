package dev.redirectguard.it.child;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/** One HttpClient GET of an https URL that redirects to http, with the policy given; prints the status. */
public final class DowngradeHttpClient {
    private DowngradeHttpClient() {
    }

    public static void main(String[] args) throws Exception {
        HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.valueOf(args[1])).build();
        HttpResponse<String> r = client.send(HttpRequest.newBuilder(URI.create(args[0])).build(),
                HttpResponse.BodyHandlers.ofString());
        System.out.println("status=" + r.statusCode());
    }
}
