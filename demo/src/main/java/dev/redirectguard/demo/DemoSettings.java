package dev.redirectguard.demo;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the demo finds what it runs.
 *
 * @param java       the java executable for the legacy application (Java 8 or later)
 * @param agentJar   redirect-guard-agent.jar
 * @param appClasses the directory with the legacy application's classes
 * @param workDir    where the runs' logs and output go
 */
record DemoSettings(Path java, Path agentJar, Path appClasses, Path workDir) {

    /** The java executable of a JDK given by its home directory or by the executable itself. */
    static Path javaExecutable(String javaOrHome) {
        Path p = Path.of(javaOrHome);
        return Files.isDirectory(p) ? p.resolve("bin").resolve("java") : p;
    }

    /** The java that runs this JVM. */
    static Path currentJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** @throws IllegalArgumentException naming what is missing and how to get it */
    void check() {
        if (!Files.isExecutable(java)) {
            throw new IllegalArgumentException("no java executable at " + java
                    + " (give --java a JDK's bin/java or its home directory)");
        }
        if (!Files.isRegularFile(agentJar)) {
            throw new IllegalArgumentException("no agent jar at " + agentJar
                    + " (build it: mvn -B -q -DskipTests -pl agent,demo -am package)");
        }
        Path main = appClasses.resolve(LegacyApp.MAIN_CLASS.replace('.', '/') + ".class");
        if (!Files.isRegularFile(main)) {
            throw new IllegalArgumentException("no legacy application in " + appClasses + " (missing " + main + ")");
        }
    }
}
