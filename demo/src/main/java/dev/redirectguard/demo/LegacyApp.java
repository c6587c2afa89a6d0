package dev.redirectguard.demo;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Runs the legacy application ({@code OrderClient}) in a child JVM, with or without the agent. */
final class LegacyApp {
    static final String MAIN_CLASS = "dev.redirectguard.demo.legacy.OrderClient";
    private static final Pattern VERSION_LINE = Pattern.compile("order-client on Java (\\S+)");
    private static final Pattern CALL_LINE = Pattern.compile("(\\w+) -> (.+)");
    private static final long TIMEOUT_SECONDS = 60;

    private final Path java;
    private final Path classes;
    private final Path agentJar;

    LegacyApp(Path java, Path classes, Path agentJar) {
        this.java = java;
        this.classes = classes;
        this.agentJar = agentJar;
    }

    /**
     * @param agentLog where the agent writes its JSON lines (runs with the agent only)
     */
    AppRun run(RunMode mode, String baseUrl, Path agentLog, Path workDir) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.add("-XX:TieredStopAtLevel=1"); // a short-lived JVM: C1 alone starts faster
        if (mode.hasAgent()) {
            command.add("-javaagent:" + agentJar.toAbsolutePath() + "=mode=" + mode.agentMode()
                    + ",log=" + agentLog.toAbsolutePath());
        }
        command.add("-cp");
        command.add(classes.toAbsolutePath().toString());
        command.add(MAIN_CLASS);
        command.add(baseUrl);

        Path stdout = workDir.resolve(mode.fileName() + ".stdout.txt");
        Path stderr = workDir.resolve(mode.fileName() + ".stderr.txt");
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(stdout.toFile())
                .redirectError(stderr.toFile());
        // The agent also reads REDIRECTGUARD_* variables: a user's own settings must not change the demo.
        builder.environment().keySet().removeIf(name -> name.startsWith("REDIRECTGUARD_"));
        Process process = builder.start();
        if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
            throw new IOException("the legacy application did not finish in " + TIMEOUT_SECONDS + " s: " + command);
        }
        return parse(process.exitValue(), stdout, stderr);
    }

    private static AppRun parse(int exitCode, Path stdout, Path stderr) throws IOException {
        String version = null;
        Map<String, String> outcomes = new LinkedHashMap<>();
        for (String line : Files.readAllLines(stdout)) {
            Matcher v = VERSION_LINE.matcher(line);
            Matcher call = CALL_LINE.matcher(line);
            if (v.matches()) {
                version = v.group(1);
            } else if (call.matches()) {
                outcomes.put(call.group(1), call.group(2));
            }
        }
        return new AppRun(exitCode, version, outcomes, stdout, stderr);
    }

    /** The agent takes its options as {@code jar=key=value,key=value}: paths must not break that syntax. */
    static void checkAgentSyntax(Path agentJar, Path agentLog) {
        if (agentJar.toString().contains("=")) {
            throw new IllegalArgumentException("the agent jar's path may not contain '=': " + agentJar);
        }
        if (agentLog.toString().contains(",")) {
            throw new IllegalArgumentException("the work directory's path may not contain ',': " + agentLog);
        }
    }
}
