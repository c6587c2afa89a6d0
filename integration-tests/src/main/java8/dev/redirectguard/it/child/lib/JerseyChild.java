package dev.redirectguard.it.child.lib;

import javax.ws.rs.client.Client;
import javax.ws.rs.client.ClientBuilder;
import javax.ws.rs.client.Entity;
import javax.ws.rs.client.Invocation;
import javax.ws.rs.core.Response;

/** The Jersey 2 client with its default connector (HttpUrlConnectorProvider: HttpURLConnection). Argument: base url. */
public final class JerseyChild {
    private JerseyChild() {
    }

    public static void main(String[] args) {
        final Client client = ClientBuilder.newClient();
        LibCalls.runAll("", args[0], LibCalls.CALLS, (method, url, body) -> {
            Invocation.Builder request = client.target(url).request()
                    .header("Authorization", LibCalls.AUTHORIZATION)
                    .header("Cookie", LibCalls.COOKIE)
                    .header("X-Custom", LibCalls.CUSTOM);
            Response response = body == null ? request.method(method)
                    : request.method(method, Entity.entity(body, LibCalls.CONTENT_TYPE));
            try {
                return response.getStatus() + " " + response.readEntity(String.class);
            } finally {
                response.close();
            }
        });
        client.close();
    }
}
