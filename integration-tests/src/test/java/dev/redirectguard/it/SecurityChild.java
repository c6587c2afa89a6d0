package dev.redirectguard.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM of the security tests: its options, the agent (or none), class path, main class and
 * arguments; stdout read line by line as it comes (so a test can wait for a line and answer on
 * stdin), stderr and the agent log kept in the run's directory.
 */
final class SecurityChild {
    /** Among the JVM options: where the agent's -javaagent goes (default: after them all). */
    static final String AGENT_HERE = "@redirect-guard";
    /** A failure bound only: the children take seconds. */
    private static final long TIMEOUT_SECONDS = 300;

    record Run(int exitCode, List<String> stdout, String stderr, List<LogLine> log, Path logFile, List<String> command) {
        /** Lines of stdout that start with {@code <kind><TAB>}, without that prefix. */
        List<String> lines(String kind) {
            return stdout.stream().filter(l -> l.startsWith(kind + "\t")).map(l -> l.substring(kind.length() + 1)).toList();
        }

        /** The value of {@code probe<TAB><name><TAB><value>}, or null. */
        String probe(String name) {
            return lines("probe").stream().filter(l -> l.startsWith(name + "\t")).map(l -> l.substring(name.length() + 1))
                    .findFirst().orElse(null);
        }

        /** stderr lines the agent wrote. */
        List<String> agentStderr() {
            return stderr.lines().filter(l -> l.contains("redirect-guard")).toList();
        }

        String describe() {
            return String.join(" ", command) + "\nexit " + exitCode + "\nstdout:\n" + String.join("\n", stdout)
                    + "\nstderr:\n" + stderr;
        }
    }

    /** What a test does while the child runs: wait for a stdout line, answer on stdin. */
    interface Conversation {
        void talk(long pid, BlockingQueue<String> stdout, OutputStream stdin) throws Exception;
    }

    private SecurityChild() {
    }

    /**
     * @param agentArgs the agent's arguments (its log goes to {@code dir/agent.jsonl}), or null for no -javaagent
     */
    static Run run(JdkMatrix.Jdk jdk, Path dir, List<String> jvmOptions, String agentArgs, String classPath,
                   String mainClass, List<String> args, Conversation conversation) throws Exception {
        ItFiles.recreate(dir);
        Path log = dir.resolve("agent.jsonl");
        List<String> cmd = new ArrayList<>(List.of(jdk.java().toString(), "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-Xmx256m"));
        List<String> options = new ArrayList<>(jvmOptions);
        int at = options.indexOf(AGENT_HERE);
        if (at >= 0) {
            options.remove(at);
        } else {
            at = options.size();
        }
        if (agentArgs != null) {
            options.add(at, "-javaagent:" + ItFiles.AGENT_JAR + "=" + agentArgs + ",log=" + log);
        }
        cmd.addAll(options);
        cmd.addAll(List.of("-cp", classPath, mainClass));
        cmd.addAll(args);
        Path err = dir.resolve("stderr.txt");
        Process p = new ProcessBuilder(cmd).redirectError(err.toFile()).start();
        List<String> out = new ArrayList<>();
        BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    synchronized (out) {
                        out.add(line);
                    }
                    lines.add(line);
                }
            } catch (IOException e) {
                // the child is gone
            }
        }, "security-child-stdout");
        reader.setDaemon(true);
        reader.start();
        try {
            if (conversation != null) {
                conversation.talk(p.pid(), lines, p.getOutputStream());
            }
            p.getOutputStream().close();
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("child did not finish in " + TIMEOUT_SECONDS + " s: " + cmd + "\n"
                        + ChildJvm.tail(err));
            }
            reader.join(TimeUnit.SECONDS.toMillis(30));
        } finally {
            p.destroyForcibly();
        }
        List<String> stdout;
        synchronized (out) {
            stdout = List.copyOf(out);
        }
        Files.write(dir.resolve("stdout.txt"), stdout);
        Files.writeString(dir.resolve("command.txt"), String.join(" ", cmd) + "\n");
        return new Run(p.exitValue(), stdout, Files.readString(err, StandardCharsets.UTF_8), LogLine.read(log), log, cmd);
    }

    /** Waits for {@code expected} on the child's stdout (skipping others); fails after the bound. */
    static void await(BlockingQueue<String> stdout, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(TIMEOUT_SECONDS);
        for (String line; (line = stdout.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) != null; ) {
            if (line.equals(expected)) {
                return;
            }
        }
        throw new AssertionError("the child never printed '" + expected + "'");
    }
}
