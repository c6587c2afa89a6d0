package dev.redirectguard.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

/** Where the integration tests find the agent and the child programs, and where runs keep their files. */
final class ItFiles {
    static final Path BUILD_DIR = property("redirectguard.buildDir", "target");
    static final Path AGENT_JAR = property("redirectguard.agentJar", "../agent/target/redirect-guard-agent.jar");
    static final Path CHILD_CLASSES = property("redirectguard.childClasses", "target/classes");

    private ItFiles() {
    }

    static Path property(String name, String fallback) {
        return Path.of(System.getProperty(name, fallback)).toAbsolutePath().normalize();
    }

    /**
     * A copy of the agent jar for all runs of one test class, taken now: a rebuild of the agent
     * while tests run must not mix two agent versions in one test run. Null when there is no jar.
     */
    static Path snapshotOfAgentJar(String dirName) throws IOException {
        if (!Files.isRegularFile(AGENT_JAR)) {
            return null;
        }
        Path copy = BUILD_DIR.resolve(dirName).resolve(AGENT_JAR.getFileName());
        Files.createDirectories(copy.getParent());
        Files.copy(AGENT_JAR, copy, StandardCopyOption.REPLACE_EXISTING);
        return copy;
    }

    /**
     * An agent jar with only a manifest: its {@code premainClass} is found on the child's class path
     * (the JVM loads a Premain-Class through the application class loader).
     */
    static Path premainJar(Path jar, String premainClass, boolean canRetransform) throws IOException {
        Files.createDirectories(jar.getParent());
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().putValue("Premain-Class", premainClass);
        if (canRetransform) {
            manifest.getMainAttributes().putValue("Can-Retransform-Classes", "true");
        }
        try (JarOutputStream j = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            j.flush();
        }
        return jar;
    }

    /** An empty directory, whatever was there. */
    static Path recreate(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.delete(p);
                }
            }
        }
        Files.createDirectories(dir);
        return dir;
    }
}
