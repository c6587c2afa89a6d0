package dev.redirectguard.agent;

/** The running Java's feature release: 8, 11, 17, ... */
final class JavaVersion {
    private static final int FEATURE = parse(System.getProperty("java.specification.version", "1.8"));

    private JavaVersion() {
    }

    static int feature() {
        return FEATURE;
    }

    static int parse(String specification) {
        try {
            return specification.startsWith("1.") ? Integer.parseInt(specification.substring(2))
                    : Integer.parseInt(specification);
        } catch (NumberFormatException e) {
            return 8;
        }
    }
}
