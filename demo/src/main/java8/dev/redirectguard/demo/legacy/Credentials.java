package dev.redirectguard.demo.legacy;

/** What the application sends on every call: a service token and the user's session cookie. */
final class Credentials {
    private final String bearerToken;
    private final String sessionId;

    Credentials(String bearerToken, String sessionId) {
        this.bearerToken = bearerToken;
        this.sessionId = sessionId;
    }

    /** Fixed demo values; a real deployment reads them from its configuration. */
    static Credentials demo() {
        return new Credentials("eyJhbGciOiJIUzI1NiJ9.demo-token", "7F3A9C21D0E4");
    }

    String authorization() {
        return "Bearer " + bearerToken;
    }

    String cookie() {
        return "JSESSIONID=" + sessionId;
    }
}
