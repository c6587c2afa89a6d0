package dev.redirectguard.it.child.lib;

import java.net.http.HttpClient;
import org.springframework.http.client.ClientHttpRequestFactory;

/**
 * Spring 6.1+'s JdkClientHttpRequestFactory (java.net.http.HttpClient) under RestTemplate, Java 17+
 * (Spring 6). Twice: {@code default-}: {@code new JdkClientHttpRequestFactory()} as shipped;
 * {@code normal-}: over {@code HttpClient.newBuilder().followRedirects(NORMAL)}, what an
 * application that wants redirects followed passes. Made by reflection: this module compiles
 * against Spring 5.3. Argument: base url.
 */
public final class SpringJdkChild {
    private static final String FACTORY = "org.springframework.http.client.JdkClientHttpRequestFactory";

    private SpringJdkChild() {
    }

    public static void main(String[] args) throws Exception {
        Class<?> type = Class.forName(FACTORY);
        SpringChild.run("default-", (ClientHttpRequestFactory) type.getConstructor().newInstance(), args[0]);
        HttpClient normal = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL).build();
        SpringChild.run("normal-", (ClientHttpRequestFactory) type.getConstructor(HttpClient.class).newInstance(normal),
                args[0]);
    }
}
