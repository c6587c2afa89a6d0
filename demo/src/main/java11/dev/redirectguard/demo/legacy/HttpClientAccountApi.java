package dev.redirectguard.demo.legacy;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;

/** The account API through java.net.http.HttpClient, following redirects like most code configures it. */
final class HttpClientAccountApi implements AccountApi {
    private final String baseUrl;
    private final Credentials credentials;
    private final HttpClient client = HttpClient.newBuilder()
            .followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(5))
            .build();

    HttpClientAccountApi(String baseUrl, Credentials credentials) {
        this.baseUrl = baseUrl;
        this.credentials = credentials;
    }

    @Override
    public int downloadReport() throws Exception {
        HttpRequest request = request("/reports/latest").GET().build();
        return client.send(request, BodyHandlers.discarding()).statusCode();
    }

    @Override
    public int openTicket() throws Exception {
        HttpRequest request = request("/api/tickets")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"subject\":\"late\"}"))
                .build();
        return client.send(request, BodyHandlers.discarding()).statusCode();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(URI.create(baseUrl + path))
                .timeout(Duration.ofSeconds(10))
                .header("Authorization", credentials.authorization())
                .header("Cookie", credentials.cookie())
                .header("Accept", "application/json");
    }
}
