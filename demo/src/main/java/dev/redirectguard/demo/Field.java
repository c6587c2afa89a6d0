package dev.redirectguard.demo;

/** What the demo compares, per scenario, between a run and RFC 9110; one table row each. */
enum Field {
    REQUEST("request"),
    BODY("body"),
    CONTENT_TYPE("Content-Type"),
    AUTHORIZATION("Authorization"),
    COOKIE("Cookie"),
    APP_GOT("app got");

    private final String label;

    Field(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    @Override
    public String toString() {
        return label;
    }
}
