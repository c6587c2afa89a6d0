package dev.redirectguard.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/** A running {@code OpsChild} (or another line-driven child program): one command in, one answer line out. */
final class OpsChildProcess implements AutoCloseable {
    private final Process process;
    private final PrintWriter in;
    private final BlockingQueue<String> answers = new ArrayBlockingQueue<>(100);
    final Path stderr;

    /** @param agentArgs null: no -javaagent */
    OpsChildProcess(JdkMatrix.Jdk jdk, Path childClasses, Path agentJar, String agentArgs, Path dir) throws Exception {
        this(jdk, childClasses, agentJar, agentArgs, dir, List.of());
    }

    OpsChildProcess(JdkMatrix.Jdk jdk, Path childClasses, Path agentJar, String agentArgs, Path dir,
                    List<String> jvmOptions) throws Exception {
        this(jdk, childClasses, agentJar, agentArgs, dir, jvmOptions, "dev.redirectguard.it.child.OpsChild", Map.of());
    }

    /** @param environment added to this JVM's environment for the child */
    OpsChildProcess(JdkMatrix.Jdk jdk, Path childClasses, Path agentJar, String agentArgs, Path dir,
                    List<String> jvmOptions, String mainClass, Map<String, String> environment) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(jdk.java().toString(), "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-Xmx128m"));
        cmd.addAll(jvmOptions);
        if (agentArgs != null) {
            cmd.add("-javaagent:" + agentJar + "=" + agentArgs);
        }
        cmd.addAll(List.of("-cp", childClasses.toString(), mainClass));
        stderr = dir.resolve("child-stderr.txt");
        ProcessBuilder builder = new ProcessBuilder(cmd).redirectError(stderr.toFile());
        builder.environment().putAll(environment);
        process = builder.start();
        in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
        Thread reader = new Thread(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = out.readLine()) != null; ) {
                    answers.put(line);
                }
            } catch (IOException | InterruptedException e) {
                // the child is gone: send() times out and says so
            }
        }, "ops-child-stdout");
        reader.setDaemon(true);
        reader.start();
        // The JVM may print first (JFR's "Started recording 1 ..." with -XX:StartFlightRecording).
        String ready = answers.poll(60, TimeUnit.SECONDS);
        for (int skipped = 0; ready != null && !"ready".equals(ready) && skipped < 20; skipped++) {
            ready = answers.poll(60, TimeUnit.SECONDS);
        }
        if (!"ready".equals(ready)) {
            throw new AssertionError("child did not start: " + ready + "\n" + ChildJvm.tail(stderr));
        }
    }

    long pid() {
        return process.pid();
    }

    String send(String command) throws Exception {
        in.println(command);
        String answer = answers.poll(60, TimeUnit.SECONDS);
        if (answer == null) {
            throw new AssertionError("no answer to '" + command + "'\n" + ChildJvm.tail(stderr));
        }
        return answer;
    }

    @Override
    public void close() throws Exception {
        in.println("quit");
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }
}
