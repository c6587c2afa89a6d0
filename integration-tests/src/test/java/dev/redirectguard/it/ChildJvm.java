package dev.redirectguard.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Starts one child JVM that runs a client's case file, with or without the agent, and waits for it. */
final class ChildJvm {
    private static final Duration TIMEOUT = Duration.ofMinutes(4);

    record Outcome(int exitCode, Duration elapsed, List<String> command) {
    }

    private final Path childClasses;
    private final Path agentJar;
    private final TestCertificate tls;

    ChildJvm(Path childClasses, Path agentJar, TestCertificate tls) {
        this.childClasses = childClasses;
        this.agentJar = agentJar;
        this.tls = tls;
    }

    boolean hasAgent() {
        return agentJar != null;
    }

    Outcome run(JdkMatrix.Jdk jdk, Client client, AgentMode mode, RunFiles files) throws IOException, InterruptedException {
        return run(jdk, client, mode, files, List.of());
    }

    /** As above, with options for the runner after its two files (e.g. HcRunner's --version=HTTP_2). */
    Outcome run(JdkMatrix.Jdk jdk, Client client, AgentMode mode, RunFiles files, List<String> runnerOptions)
            throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(jdk.java().toString());
        // Short-lived JVMs: the C1 compiler alone starts faster.
        cmd.add("-Xshare:auto");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-Xmx256m");
        if (mode != AgentMode.NONE) {
            // Off also gets a log file: it proves off writes nothing even where it could. Every case
            // must have its own line, so no collapsing of repeats and no rate limit here (LogVolumeIT
            // tests those).
            cmd.add("-javaagent:" + agentJar + "=mode=" + mode.agentValue() + ",log=" + files.agentLog()
                    + ",logInterval=0,logRate=0");
        }
        if (mode == AgentMode.ENFORCE) {
            // HotSpot (8 to 21) does not verify boot classes unless asked, even those an agent
            // changed: with this, a wrong stack map frame in a rewritten java.base class is a
            // VerifyError here, not a crash or a silent misstep in an application. (java.net.http
            // classes, platform loader, are verified anyway; JDK 25+ verifies agent output anyway.)
            cmd.add("-XX:+UnlockDiagnosticVMOptions");
            cmd.add("-XX:+BytecodeVerificationLocal");
        }
        cmd.addAll(tls.childJvmOptions());
        cmd.add("-cp");
        cmd.add(childClasses.toString());
        cmd.add(client.runnerClass);
        cmd.add(files.cases().toString());
        cmd.add(files.results().toString());
        cmd.addAll(runnerOptions);

        long start = System.nanoTime();
        Process p = new ProcessBuilder(cmd)
                .redirectOutput(files.stdout().toFile())
                .redirectError(files.stderr().toFile())
                .start();
        if (!p.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("child JVM did not finish in " + TIMEOUT + ": " + cmd + "\nstderr: " + tail(files.stderr()));
        }
        return new Outcome(p.exitValue(), Duration.ofNanos(System.nanoTime() - start), cmd);
    }

    static String tail(Path file) throws IOException {
        if (!Files.exists(file)) {
            return "";
        }
        List<String> lines = Files.readAllLines(file);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }
}
