package dev.redirectguard.cli;

import java.io.BufferedReader;
import java.io.File;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One child JVM of the Java under test, running dev.redirectguard.doctor.child.DoctorChild from
 * the agent jar: without the agent, or with it in audit or enforce. It starts at once and reads
 * its case list from standard input, so the JVMs start while the doctor is still preparing.
 */
final class DoctorRun {
    static final Charset UTF_8 = Charset.forName("UTF-8");
    static final String CHILD_MAIN = "dev.redirectguard.doctor.child.DoctorChild";

    /** The run's name, also in its URLs: none, audit or enforce. */
    final String name;
    /** The agent's log file; null without the agent. */
    final File log;
    private final File stdout;
    private final File stderr;
    private final Process process;
    private String problem;

    private final Map<String, String[]> results = new HashMap<String, String[]>();
    private String javaVersion;
    private boolean javaagentOption;

    private DoctorRun(String name, File log, File stdout, File stderr, Process process) {
        this.name = name;
        this.log = log;
        this.stdout = stdout;
        this.stderr = stderr;
        this.process = process;
    }

    /**
     * @param mode null: no agent; else the agent's mode, with the settings that make every
     *             violation one line in {@code dir/<name>.jsonl} and no thread or MBean beyond that
     */
    static DoctorRun start(String java, File agentJar, String name, String mode, File dir) throws IOException {
        File log = mode == null ? null : new File(dir, name + ".jsonl");
        List<String> cmd = new ArrayList<String>();
        cmd.add(java);
        // These JVMs live a few seconds, three at once: C1 alone compiles what they run at a fraction
        // of the CPU (the redirect code paths are the same in every compiler). A VM without that
        // flag (Zero) ignores it instead of refusing to start.
        cmd.add("-XX:+IgnoreUnrecognizedVMOptions");
        cmd.add("-XX:TieredStopAtLevel=1");
        if (mode != null) {
            cmd.add("-javaagent:" + agentJar.getAbsolutePath() + "=mode=" + mode + ",jmx=off,logInterval=0,logRate=0"
                    + ",legacyPostRedirect=get,stripOnCrossOrigin=Authorization;Cookie,log=" + log.getAbsolutePath());
        }
        cmd.add("-cp");
        cmd.add(agentJar.getAbsolutePath());
        cmd.add(CHILD_MAIN);
        cmd.add("-");
        ProcessBuilder pb = new ProcessBuilder(cmd);
        // The doctor sets the agent's settings itself: nothing from this shell may add an agent or a setting.
        Iterator<String> env = pb.environment().keySet().iterator();
        while (env.hasNext()) {
            String key = env.next();
            if (key.equals("JAVA_TOOL_OPTIONS") || key.equals("JDK_JAVA_OPTIONS") || key.equals("_JAVA_OPTIONS")
                    || key.startsWith("REDIRECTGUARD_")) {
                env.remove();
            }
        }
        File stdout = new File(dir, name + ".out");
        File stderr = new File(dir, name + ".err");
        pb.redirectOutput(stdout).redirectError(stderr);
        return new DoctorRun(name, log, stdout, stderr, pb.start());
    }

    /**
     * Hands the child lines of its case list, which it runs as they come; {@code last}: the list
     * ends here. A child that died already is found by {@link #await}.
     */
    void feed(List<String> lines, boolean last) {
        try {
            OutputStream in = process.getOutputStream();
            for (String line : lines) {
                in.write((line + "\n").getBytes(UTF_8));
            }
            if (last) {
                in.close();
            } else {
                in.flush();
            }
        } catch (IOException e) {
            // the child exited early: its exit code and stderr say why
        }
    }

    /** Waits for the child, at most until {@code deadline} (System.nanoTime), then reads what it printed. */
    void await(long deadline) throws InterruptedException, IOException {
        long left = deadline - System.nanoTime();
        if (!process.waitFor(Math.max(left, 0), TimeUnit.NANOSECONDS)) {
            process.destroyForcibly();
            process.waitFor(5, TimeUnit.SECONDS);
            problem = "did not finish in time (stopped)";
        } else if (process.exitValue() != 0) {
            problem = "exited with code " + process.exitValue();
        }
        for (String line : lines(stdout)) {
            String[] f = line.split("\t", -1);
            if (f[0].equals("java") && f.length == 4) {
                javaVersion = f[1];
                javaagentOption = f[3].equals("yes");
            } else if (f[0].equals("result") && f.length == 4) {
                results.put(f[1], new String[] {f[2], f[3]});
            }
        }
        if (problem == null && javaVersion == null) {
            problem = "printed no result (not a Java launcher?)";
        }
    }

    /** The caller's result of a case: {status or exception class, detail}; null when the child printed none. */
    String[] result(String caseId) {
        return results.get(caseId);
    }

    /** What went wrong with the process itself, or null. */
    String problem() {
        return problem;
    }

    String javaVersion() {
        return javaVersion;
    }

    boolean javaagentOption() {
        return javaagentOption;
    }

    /** The child's stderr: the agent's own complaints ("redirect-guard: ...") and anything the JVM said. */
    List<String> stderrLines() throws IOException {
        return lines(stderr);
    }

    /** The agent's log lines; empty when it wrote none. */
    List<String> logLines() throws IOException {
        return log == null ? new ArrayList<String>() : lines(log);
    }

    static List<String> lines(File f) throws IOException {
        List<String> out = new ArrayList<String>();
        if (!f.isFile()) {
            return out;
        }
        BufferedReader r = new BufferedReader(new InputStreamReader(new FileInputStream(f), UTF_8));
        try {
            for (String line; (line = r.readLine()) != null; ) {
                out.add(line);
            }
        } finally {
            r.close();
        }
        return out;
    }
}
