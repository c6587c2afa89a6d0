package dev.redirectguard.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.redirectguard.it.child.security.FrameCorruptor;

import java.io.File;
import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicVerifier;

/**
 * Issue 10, Found 6 and requirement 5: a wrong stack map frame in a rewritten class fails
 * {@code check} and the build, never an application. On every JDK of the matrix:
 * <ul>
 *   <li>{@code java -jar agent.jar check}, run by that JDK, says "rewritten and verified" for
 *       every target class it has (ASM's analyzer, then HotSpot in a child JVM with
 *       {@code -XX:+BytecodeVerificationLocal}) and exits 0;</li>
 *   <li>the referee works: {@link FrameCorruptor} changes one frame entry of the
 *       HttpURLConnection that redirect-guard rewrote (java.base, a boot class HotSpot does not
 *       verify by default). Loaded as {@code check}'s child loads it (the agent jar's
 *       {@code LoadTargets}), HotSpot with {@code -XX:+BytecodeVerificationLocal} throws
 *       VerifyError; without the flag it loads unverified on JDK 8 to 21 (25 and later verify what
 *       an agent changed anyway); ASM's BasicVerifier passes both the rewritten and the corrupted
 *       bytes. So only HotSpot's verifier, with that flag, sees a frame error in a boot class on
 *       every JDK: RedirectMatrixIT's enforce runs use it too (ChildJvm).</li>
 * </ul>
 */
class RewriteVerificationIT {
    private static final Path DIR = ItFiles.BUILD_DIR.resolve("security").resolve("rewrite-verification");
    private static final String HUC = "sun.net.www.protocol.http.HttpURLConnection";
    private static final List<String> JAVA_NET_HTTP = List.of("jdk.internal.net.http.RedirectFilter",
            "jdk.internal.net.http.HttpRequestImpl", "jdk.internal.net.http.MultiExchange",
            "jdk.internal.net.http.HttpClientImpl");
    /** See DoctorIT: ProcessBuilder's default launch mechanism cannot start here on these two JDKs. */
    private static final Set<Integer> SPAWN_HELPER_BROKEN_HERE = Set.of(21, 27);
    /**
     * From JDK 25 HotSpot verifies every class a ClassFileLoadHook changed, boot classes included
     * (JDK-8351654, "Agent transformer bytecodes should be verified"); before, a changed boot class
     * is verified only with -XX:+BytecodeVerificationLocal.
     */
    private static final int AGENT_OUTPUT_VERIFIED = 25;
    private static final List<String> VERIFY_BOOT_CLASSES = List.of("-XX:+UnlockDiagnosticVMOptions",
            "-XX:+BytecodeVerificationLocal");

    @TestFactory
    Stream<DynamicTest> verification() {
        return JdkMatrix.testsPerJdk((jdk, tests) -> {
            tests.add(dynamicTest(jdk.label() + " check: every class rewritten and verified, frames included",
                    () -> check(jdk)));
            tests.add(dynamicTest(jdk.label() + " one wrong frame: HotSpot with BytecodeVerificationLocal refuses it,"
                    + " without it and ASM's BasicVerifier do not", () -> wrongFrame(jdk)));
        });
    }

    private void check(JdkMatrix.Jdk jdk) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(jdk.java().toString()));
        if (SPAWN_HELPER_BROKEN_HERE.contains(jdk.version())) {
            cmd.add("-Djdk.lang.Process.launchMechanism=FORK");
        }
        cmd.addAll(List.of("-jar", ItFiles.AGENT_JAR.toString(), "check"));
        Process p = new ProcessBuilder(cmd).start();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
        String out = readAll(p.getInputStream());
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("check did not finish: " + cmd);
        }
        String why = String.join(" ", cmd) + "\nexit " + p.exitValue() + "\nstdout:\n" + out + "\nstderr:\n" + err.get();
        Files.createDirectories(DIR);
        Files.writeString(DIR.resolve("check-" + jdk.label() + ".txt"), why);
        assertEquals(0, p.exitValue(), why);
        List<String> lines = out.lines().map(String::trim).toList();
        assertTrue(lines.contains(HUC + ": rewritten and verified"), why);
        for (String c : JAVA_NET_HTTP) {
            assertTrue(lines.contains(c + (jdk.version() >= 11 ? ": rewritten and verified" : ": not in this JDK")), why);
        }
        assertEquals(1 + JAVA_NET_HTTP.size(), lines.stream().filter(l -> l.startsWith(HUC + ":") || JAVA_NET_HTTP.stream()
                .anyMatch(c -> l.startsWith(c + ":"))).count(), why);
    }

    private void wrongFrame(JdkMatrix.Jdk jdk) throws Exception {
        Path corruptor = ItFiles.premainJar(DIR.resolve("frame-corruptor.jar"), FrameCorruptor.class.getName(), true);
        String classPath = ItFiles.CHILD_CLASSES + File.pathSeparator + jarOf(ClassReader.class);
        List<String> outcomes = new ArrayList<>();
        for (boolean verifyBootClasses : List.of(true, false)) {
            Path dir = DIR.resolve("wrong-frame-" + jdk.label() + (verifyBootClasses ? "-verified" : "-unverified"));
            Path dump = dir.resolve("classes");
            List<String> options = new ArrayList<>(verifyBootClasses ? VERIFY_BOOT_CLASSES : List.of());
            options.add(SecurityChild.AGENT_HERE);
            options.add("-javaagent:" + corruptor + "=sun/net/www/protocol/http/HttpURLConnection,followRedirect0," + dump);
            SecurityChild.Run run = SecurityChild.run(jdk, dir, options, "mode=enforce,jmx=off", classPath,
                    "dev.redirectguard.boot.LoadTargets", List.of(HUC), null);
            String why = run.describe();
            assertEquals(List.of("rewritten-by-agent\ttrue", "corrupted\tfollowRedirect0"),
                    run.lines("frame-corruptor").stream().map(l -> l.startsWith("corrupted\t")
                            ? l.substring(0, l.indexOf(' ')) : l).toList(), why);
            String result = run.stdout().stream().filter(l -> l.startsWith("loaded ") || l.startsWith("failed "))
                    .findFirst().orElse("no result line");
            outcomes.add(result);
            if (verifyBootClasses || jdk.version() >= AGENT_OUTPUT_VERIFIED) {
                assertTrue(result.startsWith("failed " + HUC + " java.lang.VerifyError"), why);
            } else {
                assertEquals("loaded " + HUC, result, why);
            }
            // ASM's BasicVerifier (check's first referee) does not read frames: it passes both.
            assertNull(basicVerifier(Files.readAllBytes(dump.resolve("rewritten.class"))), why);
            assertNull(basicVerifier(Files.readAllBytes(dump.resolve("corrupted.class"))), why);
        }
        System.out.println("[" + jdk.label() + " wrong frame] " + outcomes);
    }

    /** null when every method passes ASM's BasicVerifier (as RewriteCheck.verify), else the failure. */
    private static String basicVerifier(byte[] classFile) {
        ClassNode node = new ClassNode();
        new ClassReader(classFile).accept(node, 0);
        for (MethodNode m : node.methods) {
            try {
                new Analyzer<>(new BasicVerifier()).analyze(node.name, m);
            } catch (AnalyzerException e) {
                return m.name + m.desc + ": " + e.getMessage();
            }
        }
        return null;
    }

    private static Path jarOf(Class<?> c) throws URISyntaxException {
        return Path.of(c.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private static String readAll(java.io.InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
