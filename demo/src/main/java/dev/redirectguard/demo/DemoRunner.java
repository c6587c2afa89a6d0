package dev.redirectguard.demo;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The demo's command: runs the legacy application without the agent, with mode=audit and with
 * mode=enforce, prints what the servers received side by side, and exits 1 when a smoke check
 * fails (2 on a usage or set-up error). {@code demo/run.sh} builds what it needs and calls this.
 */
public final class DemoRunner {
    static final String USAGE = """
            Usage: DemoRunner [--java <bin/java or JDK home>] [--agent <redirect-guard-agent.jar>]
                              [--app-classes <dir>] [--work-dir <dir>]
              --java         the JVM for the legacy application, Java 8 or later
                             (default: $REDIRECTGUARD_DEMO_JAVA, else the java running this)
              --agent        the agent jar (default: $REDIRECTGUARD_AGENT_JAR,
                             else agent/target/redirect-guard-agent.jar beside this module)
              --app-classes  the legacy application's classes (default: where this class was loaded from)
              --work-dir     where the runs' logs and output go (default: a new temporary directory)""";

    private DemoRunner() {
    }

    public static void main(String[] args) throws InterruptedException {
        DemoSettings settings;
        try {
            settings = settings(args);
            if (settings == null) {
                System.out.println(USAGE);
                return;
            }
            settings.check();
        } catch (IllegalArgumentException | IOException | URISyntaxException e) {
            System.err.println("demo: " + e.getMessage());
            System.err.println(USAGE);
            System.exit(2);
            return;
        }
        try {
            DemoResult result = Demo.run(settings);
            List<String> failures = SmokeChecks.failures(result);
            Report.print(result, failures, System.out);
            System.exit(failures.isEmpty() ? 0 : 1);
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("demo: " + e.getMessage());
            System.exit(2);
        }
    }

    /** @return null when only the usage was asked for */
    static DemoSettings settings(String[] args) throws IOException, URISyntaxException {
        Path classes = Path.of(DemoRunner.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        String java = System.getenv("REDIRECTGUARD_DEMO_JAVA");
        String agent = System.getenv("REDIRECTGUARD_AGENT_JAR");
        String workDir = null;
        for (int i = 0; i < args.length; i++) {
            String option = args[i];
            if (option.equals("--help") || option.equals("-h")) {
                return null;
            }
            if (!List.of("--java", "--agent", "--app-classes", "--work-dir").contains(option)) {
                throw new IllegalArgumentException("unknown option " + option);
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException("missing value after " + option);
            }
            String value = args[++i];
            switch (option) {
                case "--java" -> java = value;
                case "--agent" -> agent = value;
                case "--app-classes" -> classes = Path.of(value);
                default -> workDir = value;
            }
        }
        return new DemoSettings(
                java == null || java.isEmpty() ? DemoSettings.currentJava() : DemoSettings.javaExecutable(java),
                agent == null || agent.isEmpty() ? defaultAgentJar(classes) : Path.of(agent),
                classes,
                workDir == null ? Files.createTempDirectory("redirect-guard-demo") : Path.of(workDir));
    }

    /** demo/target/classes -> agent/target/redirect-guard-agent.jar */
    private static Path defaultAgentJar(Path classes) {
        Path repository = classes.toAbsolutePath().normalize().getParent().getParent().getParent();
        return repository.resolve("agent").resolve("target").resolve("redirect-guard-agent.jar");
    }
}
