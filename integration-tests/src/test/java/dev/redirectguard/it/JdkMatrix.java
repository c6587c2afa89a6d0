package dev.redirectguard.it;

import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.DynamicTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiConsumer;
import java.util.stream.Stream;

/**
 * The JDKs the child programs run on, from JDK8_HOME .. JDK27_HOME. All six are required unless
 * {@code -Dredirectguard.jdks=17,21} narrows the matrix: a missing JDK is a failure, never a skip.
 */
final class JdkMatrix {
    static final List<Integer> ALL = List.of(8, 11, 17, 21, 25, 27);

    /** A JDK of the matrix; {@code problem} is set (and {@code home} null) when it cannot be used. */
    record Jdk(int version, Path home, String problem) {
        Path java() {
            return home.resolve("bin").resolve("java");
        }

        String label() {
            return "jdk" + version;
        }

        /** JAVA_VERSION from the JDK's release file, for reports. */
        String fullVersion() {
            try {
                return Files.readAllLines(home.resolve("release")).stream()
                        .filter(l -> l.startsWith("JAVA_VERSION="))
                        .map(l -> l.substring("JAVA_VERSION=".length()).replace("\"", ""))
                        .findFirst().orElse(String.valueOf(version));
            } catch (IOException e) {
                return String.valueOf(version);
            }
        }
    }

    private JdkMatrix() {
    }

    /**
     * The tests of a test class, JDK by JDK: a JDK that cannot be used is one failing test
     * ("jdkN available"), never a silent skip.
     */
    static Stream<DynamicTest> testsPerJdk(BiConsumer<Jdk, List<DynamicTest>> perJdk) {
        List<DynamicTest> tests = new ArrayList<>();
        for (Jdk jdk : selected()) {
            if (jdk.problem() != null) {
                tests.add(DynamicTest.dynamicTest(jdk.label() + " available", () -> Assertions.fail(jdk.problem())));
            } else {
                perJdk.accept(jdk, tests);
            }
        }
        return tests.stream();
    }

    static List<Jdk> selected() {
        String narrowed = System.getProperty("redirectguard.jdks", "").trim();
        List<Integer> versions = narrowed.isEmpty() ? ALL
                : Arrays.stream(narrowed.split(",")).map(String::trim).map(Integer::valueOf).toList();
        return versions.stream().map(JdkMatrix::locate).toList();
    }

    private static Jdk locate(int version) {
        String variable = "JDK" + version + "_HOME";
        String value = System.getenv(variable);
        if (value == null || value.isBlank()) {
            return new Jdk(version, null, variable + " is not set; set it, or narrow the matrix with"
                    + " -Dredirectguard.jdks=<comma list> (run: eval \"$(shared/jdks/install.sh)\")");
        }
        Path home = Path.of(value);
        if (!Files.isExecutable(home.resolve("bin").resolve("java"))) {
            return new Jdk(version, null, variable + "=" + value + " has no bin/java");
        }
        return new Jdk(version, home, null);
    }
}
