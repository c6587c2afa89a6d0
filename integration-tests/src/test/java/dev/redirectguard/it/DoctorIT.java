package dev.redirectguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@code doctor} on every JDK of the matrix: run by JDK 17 with {@code --java} pointing to that
 * JDK, and run by that JDK itself. Each must hold on every rule (exit 0) with a complete report;
 * the reports are kept in {@code target/doctor/} with the time each took. Then the ways it must
 * fail: usage errors (exit 2), and a {@code --java} wrapper that drops {@code -javaagent}, so that
 * audit logs nothing and enforce changes nothing (exit 1, the failing rules named).
 */
class DoctorIT {
    private static final Path DIR = ItFiles.BUILD_DIR.resolve("doctor");
    private static final List<String> RULES = List.of("same-method-307-308", "get-after-303", "post-after-301-302",
            "same-origin-headers", "cross-origin-strip", "no-https-downgrade", "streamed-body");
    private static final Pattern HOLDS = Pattern.compile("all rules hold on this JDK \\(\\d+\\.\\d s\\)");
    /**
     * The matrix's JDK 21 and 27 are Debian builds for a newer glibc that ../shared/jdks/install.sh
     * points at an unpacked libc with patchelf (bin/ and *.so); their lib/jspawnhelper is left as it
     * is and cannot start here, so ProcessBuilder's default launch mechanism fails on them. The
     * doctor run by those JDKs starts its children by fork instead (its children are unchanged).
     */
    private static final Set<Integer> SPAWN_HELPER_BROKEN_HERE = Set.of(21, 27);

    @BeforeAll
    static void reportDir() throws IOException {
        Files.createDirectories(DIR);
    }

    @TestFactory
    Stream<DynamicTest> doctorOnEveryJdk() {
        return JdkMatrix.testsPerJdk((jdk, tests) -> {
            tests.add(dynamicTest(jdk.label() + " doctor --java, run by JDK 17", () -> {
                Run r = doctor(testJava(), List.of(), "--java", jdk.java().toString());
                r.keep(jdk.label() + "-from-jdk17.txt");
                assertHolds(jdk, r);
            }));
            tests.add(dynamicTest(jdk.label() + " doctor run by " + jdk.label() + " itself", () -> {
                List<String> options = SPAWN_HELPER_BROKEN_HERE.contains(jdk.version())
                        ? List.of("-Djdk.lang.Process.launchMechanism=FORK") : List.of();
                Run r = doctor(jdk.java(), options);
                r.keep(jdk.label() + "-itself.txt");
                assertHolds(jdk, r);
            }));
        });
    }

    private static void assertHolds(JdkMatrix.Jdk jdk, Run r) {
        assertEquals(0, r.code, r.toString());
        assertEquals("", r.err, r.toString());
        List<String> lines = r.out.lines().toList();
        String version = jdk.version() == 8 ? "1.8.0" : String.valueOf(jdk.version());
        assertTrue(Pattern.compile("redirect-guard doctor: Java " + Pattern.quote(version) + "([._+-][^ ]*)? \\(.*\\)")
                .matcher(lines.get(0)).matches(), "the Java under test first:\n" + r);
        for (String rule : RULES) {
            assertEquals(1, lines.stream().filter(l -> l.startsWith(rule + " ")).count(), rule + " once:\n" + r);
        }
        assertTrue(HOLDS.matcher(lines.get(lines.size() - 1)).matches(), "the verdict, with the time, last:\n" + r);
        assertTrue(lines.stream().noneMatch(l -> l.trim().startsWith("!") || l.contains("not checked")), r.toString());
        // What the JDK does is measured, not assumed: HttpURLConnection never follows 308 (8 to 27).
        assertTrue(lines.stream().anyMatch(l -> l.startsWith("same-method-307-308  without agent  HttpURLConnection:"
                + " GET 308, POST 308, PUT 308 -> 308 returned to the caller")), r.toString());
        assertEquals(jdk.version() < 11, r.out.contains("HttpClient: not in this Java"), r.toString());
        assertTrue(lines.stream().filter(l -> l.trim().startsWith("audit ")).allMatch(l -> l.contains("unchanged")),
                r.toString());
    }

    @Test
    void usageErrorsExit2() throws Exception {
        Path notExecutable = Files.writeString(DIR.resolve("not-executable"), "#!/bin/sh\n");
        for (List<String> args : List.of(List.of("--bogus"), List.of("--java"), List.of("extra"),
                List.of("--java", DIR.resolve("no-such-java").toString()), List.of("--java", DIR.toString()),
                List.of("--java", notExecutable.toString()))) {
            Run r = doctor(testJava(), List.of(), args.toArray(String[]::new));
            assertEquals(2, r.code, args + ": " + r);
            assertEquals("", r.out, args + ": " + r);
            assertTrue(r.err.startsWith("redirect-guard doctor: "), args + ": " + r);
        }
        Run help = doctor(testJava(), List.of(), "--help");
        assertEquals(0, help.code, help.toString());
        assertTrue(help.out.startsWith("usage: doctor [--java /path/to/bin/java]"), help.toString());
        Cli top = Cli.run("--help");
        assertTrue(top.out().lines().anyMatch(l -> l.trim().startsWith("doctor [--java JAVA]")), top.toString());
    }

    /**
     * {@code --java} a wrapper that runs JDK 17's java without any -javaagent option: audit logs
     * nothing and enforce changes nothing, so every rule JDK 17 breaks fails, and the report says
     * why. (cross-origin-strip is left out: whether HttpClient sends Authorization and Cookie to
     * another origin depends on the 17 update, 17.0.19 strips them.)
     */
    @Test
    void wrapperDroppingTheAgentExits1() throws Exception {
        Path wrapper = DIR.resolve("java-without-javaagent");
        Files.writeString(wrapper, "#!/bin/sh\n"
                + "# runs the real java with every argument but -javaagent options\n"
                + "for a in \"$@\"; do\n"
                + "  shift\n"
                + "  case \"$a\" in -javaagent:*) ;; *) set -- \"$@\" \"$a\" ;; esac\n"
                + "done\n"
                + "exec '" + testJava() + "' \"$@\"\n");
        Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwxr-xr-x"));
        Run r = doctor(testJava(), List.of(), "--java", wrapper.toString());
        r.keep("wrapper-without-javaagent.txt");
        assertEquals(1, r.code, r.toString());
        List<String> lines = r.out.lines().toList();
        String verdict = lines.get(lines.size() - 1);
        assertTrue(verdict.startsWith("rules that do not hold on this JDK: "), r.toString());
        for (String rule : RULES) {
            assertTrue(rule.equals("cross-origin-strip") || verdict.contains(rule), rule + " fails:\n" + r);
        }
        assertTrue(lines.contains("! the audit run: the child JVM had no -javaagent option (did a wrapper or launcher"
                + " drop it?)"), r.toString());
        assertTrue(lines.stream().anyMatch(l -> l.trim().equals("! enforce HttpURLConnection POST 308: 308 returned to"
                + " the caller (RFC 9110: POST with the body and Content-Type, the caller gets 200)")), r.toString());
        assertTrue(lines.stream().anyMatch(l -> l.trim().equals("audit          unchanged (13 cases); logged 0 of 3"
                + " violations")), r.toString());
        // A failing run keeps its files (child output, agent logs) and says where; they are not needed here.
        String kept = lines.stream().filter(l -> l.startsWith("files of this run: ")).findFirst()
                .orElseThrow(() -> new AssertionError("where the files are:\n" + r)).substring("files of this run: ".length());
        assertTrue(Files.isRegularFile(Path.of(kept, "audit.out")), r.toString());
        ItFiles.recreate(Path.of(kept));
        Files.delete(Path.of(kept));
    }

    private static Path testJava() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    /** {@code <java> <options> -jar agent.jar doctor <args>}; the doctor takes seconds, the bound is generous. */
    private static Run doctor(Path java, List<String> options, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(java.toString()));
        cmd.addAll(options);
        cmd.addAll(List.of("-jar", ItFiles.AGENT_JAR.toString(), "doctor"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).start();
        CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("doctor did not finish: " + cmd);
        }
        return new Run(cmd, p.exitValue(), new String(out, StandardCharsets.UTF_8),
                new String(err.get(), StandardCharsets.UTF_8));
    }

    private static byte[] readAll(java.io.InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private record Run(List<String> cmd, int code, String out, String err) {
        /** Keeps the report in target/doctor/, for reading after the build (it ends with how long the doctor took). */
        void keep(String name) throws IOException {
            Files.writeString(DIR.resolve(name), String.join(" ", cmd) + "\nexit " + code + "\n" + out
                    + (err.isEmpty() ? "" : "stderr:\n" + err));
        }

        @Override
        public String toString() {
            return String.join(" ", cmd) + "\nexit " + code + "\nstdout:\n" + out + "\nstderr:\n" + err;
        }
    }
}
