package dev.redirectguard.it.child.lib;

import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.ResponseEntity;
import org.springframework.http.client.ClientHttpRequestFactory;
import org.springframework.web.client.RestTemplate;

/**
 * Spring's RestTemplate, as an application uses it: {@code new RestTemplate(factory).exchange(...)}.
 * Compiled against Spring 5.3 (class file 52); uses only API that Spring 6 kept binary-compatible,
 * so {@code SpringJdkChild} runs the same calls on Spring 6.2.
 *
 * <p>Arguments: {@code <factory class> <base url>}, the factory made with its no-argument
 * constructor (SimpleClientHttpRequestFactory: HttpURLConnection).
 */
public final class SpringChild {
    private SpringChild() {
    }

    public static void main(String[] args) throws Exception {
        ClientHttpRequestFactory factory = (ClientHttpRequestFactory) Class.forName(args[0])
                .getDeclaredConstructor().newInstance();
        run("", factory, args[1]);
    }

    public static void run(String prefix, ClientHttpRequestFactory factory, String base) {
        final RestTemplate rest = new RestTemplate(factory);
        LibCalls.runAll(prefix, base, LibCalls.CALLS, (method, url, body) -> {
            HttpHeaders headers = new HttpHeaders();
            headers.set("Authorization", LibCalls.AUTHORIZATION);
            headers.set("Cookie", LibCalls.COOKIE);
            headers.set("X-Custom", LibCalls.CUSTOM);
            if (body != null) {
                headers.set("Content-Type", LibCalls.CONTENT_TYPE);
            }
            ResponseEntity<String> response = rest.exchange(url, HttpMethod.valueOf(method),
                    new HttpEntity<>(body, headers), String.class);
            return response.getStatusCodeValue() + " " + response.getBody();
        });
    }
}
