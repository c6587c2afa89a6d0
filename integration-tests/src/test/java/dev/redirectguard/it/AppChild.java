package dev.redirectguard.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One run of a real-world child program (a library call, an application next to another agent):
 * a child JVM with the given class path, JVM options and agent setting, its stdout and stderr
 * kept in {@code dir}, its {@code result<TAB><call><TAB><outcome>} lines collected.
 */
final class AppChild {
    private static final Path BUILD_DIR = ItFiles.BUILD_DIR;
    private static final Path AGENT_JAR = ItFiles.AGENT_JAR;
    private static final Path CHILD_CLASSES = ItFiles.CHILD_CLASSES;
    static final Path LIBS = BUILD_DIR.resolve("libs");

    record Run(int exitCode, Map<String, String> outcomes, List<LogLine> log, String stdout, String stderr,
               List<String> command) {
        String describe() {
            return String.join(" ", command) + "\nexit " + exitCode + "\nstdout:\n" + stdout + "\nstderr:\n" + stderr;
        }
    }

    private AppChild() {
    }

    /** The child classes and every jar of {@code target/libs/<dir>}, for each dir. */
    static String classPath(String... libDirs) throws IOException {
        List<String> entries = new ArrayList<>(List.of(CHILD_CLASSES.toString()));
        for (String d : libDirs) {
            Path dir = LIBS.resolve(d);
            if (!Files.isDirectory(dir)) {
                throw new IOException("no " + dir + ": the build copies the libraries there (mvn verify, not failsafe alone)");
            }
            try (var jars = Files.list(dir)) {
                jars.map(Path::toString).filter(s -> s.endsWith(".jar")).sorted().forEach(entries::add);
            }
        }
        return String.join(java.io.File.pathSeparator, entries);
    }

    /**
     * @param mode null, "audit" or "enforce": the agent (first among the -javaagent options when
     *             {@code jvmOptions} has others, unless {@code agentLast})
     */
    static Run run(JdkMatrix.Jdk jdk, Path dir, String mode, String extraAgentArgs, List<String> jvmOptions,
                   String classPath, String mainClass, String... args) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path log = dir.resolve("agent.jsonl");
        Files.deleteIfExists(log);
        List<String> cmd = new ArrayList<>(List.of(jdk.java().toString(), "-Xshare:auto", "-XX:TieredStopAtLevel=1",
                "-Xmx256m"));
        List<String> options = new ArrayList<>(jvmOptions);
        if (mode != null) {
            String agent = "-javaagent:" + AGENT_JAR + "=mode=" + mode + ",jmx=off,logInterval=0,logRate=0,log=" + log
                    + (extraAgentArgs == null ? "" : "," + extraAgentArgs);
            int at = options.indexOf("@redirect-guard");
            if (at >= 0) {
                options.set(at, agent);
            } else {
                options.add(0, agent);
            }
        } else {
            options.remove("@redirect-guard");
        }
        cmd.addAll(options);
        cmd.addAll(List.of("-cp", classPath, mainClass));
        cmd.addAll(List.of(args));
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("child did not finish in 120 s: " + cmd + "\n" + ChildJvm.tail(err));
        }
        String stdout = Files.readString(out, StandardCharsets.UTF_8);
        Map<String, String> outcomes = new LinkedHashMap<>();
        for (String line : stdout.split("\n")) {
            String[] f = line.split("\t", 3);
            if (f.length == 3 && f[0].equals("result")) {
                outcomes.put(f[1], f[2]);
            }
        }
        return new Run(p.exitValue(), outcomes, LogLine.read(log), stdout, Files.readString(err, StandardCharsets.UTF_8),
                cmd);
    }

}
