package dev.redirectguard.it.sequence;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * One request as a server received it: request line, every header line in order, the body
 * (de-chunked), and how the server answered. {@code order} (arrival) and {@code connection}
 * identify nothing that is compared: which connection the JDK reuses is its own business.
 *
 * @param origin scheme://host:port the request was for (Host header, or the absolute target through a proxy)
 * @param answer the status sent, or -1 never answered, -2 body cut off, -3 reset without answer
 */
public record Recorded(int order, String endpoint, int connection, String method, String target, String origin,
                       String path, List<Header> headers, byte[] body, int answer, String location) {

    public static final int HANG = -1;
    public static final int TRUNCATED = -2;
    public static final int DROPPED = -3;

    public record Header(String name, String value) {
        public String lowerName() {
            return name.toLowerCase(Locale.ROOT);
        }

        @Override
        public String toString() {
            return name + ": " + value;
        }
    }

    public String bodyText() {
        return new String(body, StandardCharsets.ISO_8859_1);
    }

    public List<String> values(String name) {
        List<String> values = new ArrayList<>();
        for (Header h : headers) {
            if (h.name().equalsIgnoreCase(name)) {
                values.add(h.value());
            }
        }
        return values;
    }

    /**
     * The wire without credentials the JDK added from its own credential cache: what the cache
     * holds depends on which hops a run followed (a hop enforce follows and the JDK alone does not,
     * a 308, leaves the JDK's cache as after a 307), never on a rule.
     */
    public String wireWithoutJdkCredentials(String callerAuthorization) {
        StringBuilder sb = new StringBuilder(method).append(' ').append(target);
        for (Header h : headers) {
            if (Wire.isJdkCredential(h, callerAuthorization)) {
                continue;
            }
            sb.append(" | ").append(h);
        }
        sb.append(" | body=").append(bodyText().isEmpty() ? "-" : bodyText());
        return sb.toString();
    }

    /** The request as it went over the wire, headers in order (the form compared between runs). */
    public String wire() {
        StringBuilder sb = new StringBuilder(method).append(' ').append(target);
        for (Header h : headers) {
            sb.append(" | ").append(h);
        }
        sb.append(" | body=").append(bodyText().isEmpty() ? "-" : bodyText());
        return sb.toString();
    }

    public String answerText() {
        return switch (answer) {
            case HANG -> "never answered";
            case TRUNCATED -> "200, cut off";
            case DROPPED -> "reset";
            default -> location == null ? String.valueOf(answer) : answer + " -> " + location;
        };
    }
}
