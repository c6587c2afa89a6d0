package dev.redirectguard.rewrite;

import net.bytebuddy.dynamic.ClassFileLocator;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipFile;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Rewrites the HTTP classes of every JDK of the matrix (read from their runtime images, nothing
 * is run) with Byte Buddy and checks the result with ASM's analyzer. The running JDK is always
 * checked; the others come from JDK8_HOME .. JDK27_HOME, which CI sets and requires.
 */
class JdkRewritesTest {
    private static final String[] VERSIONS = {"8", "11", "17", "21", "25", "27"};
    private static final Rewrites REWRITES = new Rewrites(JdkRewritesTest.class.getClassLoader());
    private static final RewriteCheck CHECK = new RewriteCheck(REWRITES);

    @Test
    void runningJdkIsRewrittenAndVerified() throws Exception {
        for (RewriteCheck.Outcome o : CHECK.checkRunningJdk(null)) {
            assertTrue(o.present(), o.toString());
            assertTrue(o.ok(), o.toString());
        }
    }

    @Test
    void aClassOfAnotherShapeIsRefusedWithTheReasons() throws Exception {
        byte[] notHttp;
        try (var in = JdkRewritesTest.class.getResourceAsStream("JdkRewritesTest.class")) {
            notHttp = in.readAllBytes();
        }
        for (String name : RewriteTargets.all()) {
            ShapeException e = assertThrows(ShapeException.class,
                    () -> REWRITES.rewrite(name, renamed(notHttp, name), ClassFileLocator.ForClassLoader.ofBootLoader()));
            assertTrue(e.getMessage().startsWith("["), e.getMessage());
        }
    }

    @Test
    void aJdkClassMissingOneExpectedInstructionIsRefused() throws Exception {
        // HttpURLConnection with its "http.strictPostRedirect" string renamed: one shape check fails.
        byte[] original = read(Path.of(System.getProperty("java.home")), RewriteTargets.HTTP_URL_CONNECTION);
        byte[] changed = original.clone();
        byte[] from = "http.strictPostRedirect".getBytes(StandardCharsets.US_ASCII);
        byte[] to = "http.strictPostRedirecT".getBytes(StandardCharsets.US_ASCII);
        int at = indexOf(changed, from);
        assertTrue(at > 0);
        System.arraycopy(to, 0, changed, at, to.length);
        ShapeException e = assertThrows(ShapeException.class, () -> REWRITES.rewrite(RewriteTargets.HTTP_URL_CONNECTION,
                changed, ClassFileLocator.ForClassLoader.ofBootLoader()));
        assertEquals("[followRedirect0: Boolean.getBoolean(\"http.strictPostRedirect\"): expected 1, found 0]",
                e.getMessage());
    }

    @Test
    void aClassFileNewerThanByteBuddyKnowsIsStillRewritten() throws Exception {
        byte[] original = read(Path.of(System.getProperty("java.home")), RewriteTargets.HTTP_URL_CONNECTION);
        byte[] future = original.clone();
        future[6] = 0;
        future[7] = (byte) 99; // Java 55 (class file 99): not released
        byte[] rewritten = REWRITES.rewrite(RewriteTargets.HTTP_URL_CONNECTION, future,
                ClassFileLocator.ForClassLoader.ofBootLoader());
        assertEquals(99, Rewrites.major(rewritten));
    }

    /** The bytes of a class renamed to {@code internalName}, so the rewrite looks at it as at that class. */
    private static byte[] renamed(byte[] classFile, String internalName) {
        net.bytebuddy.jar.asm.ClassReader reader = new net.bytebuddy.jar.asm.ClassReader(classFile);
        net.bytebuddy.jar.asm.ClassWriter writer = new net.bytebuddy.jar.asm.ClassWriter(0);
        reader.accept(new net.bytebuddy.jar.asm.commons.ClassRemapper(writer,
                new net.bytebuddy.jar.asm.commons.SimpleRemapper(reader.getClassName(), internalName)), 0);
        return writer.toByteArray();
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    @TestFactory
    List<DynamicTest> everyMatrixJdk() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String v : VERSIONS) {
            String home = System.getenv("JDK" + v + "_HOME");
            if (home == null || home.isEmpty()) {
                tests.add(DynamicTest.dynamicTest("jdk" + v, () -> fail("JDK" + v + "_HOME is not set"
                        + " (eval \"$(../shared/jdks/install.sh)\")")));
                continue;
            }
            tests.add(DynamicTest.dynamicTest("jdk" + v, () -> checkJdk(v, Path.of(home))));
        }
        return tests;
    }

    private static void checkJdk(String version, Path home) throws Exception {
        try (JdkImage image = new JdkImage(home)) {
            for (String name : RewriteTargets.all()) {
                byte[] original = image.read(name);
                boolean httpClient = !name.startsWith("sun/");
                if (version.equals("8")) {
                    assertEquals(!httpClient, original != null, name + " on 8");
                } else {
                    assertNotNull(original, name + " on " + version);
                }
                RewriteCheck.Outcome o = CHECK.check(name, original, image);
                assertTrue(o.ok(), "jdk" + version + ": " + o);
            }
        }
    }

    static byte[] read(Path home, String internalName) throws Exception {
        try (JdkImage image = new JdkImage(home)) {
            return image.read(internalName);
        }
    }

    /** A JDK's class files: rt.jar on 8, the jrt file system of that JDK on 9+. */
    static final class JdkImage implements ClassFileLocator {
        private final ZipFile rtJar;
        private final FileSystem jrt;

        JdkImage(Path home) throws IOException {
            Path rt = home.resolve("jre/lib/rt.jar");
            if (Files.exists(rt)) {
                rtJar = new ZipFile(rt.toFile());
                jrt = null;
            } else {
                rtJar = null;
                jrt = FileSystems.newFileSystem(URI.create("jrt:/"), Map.of("java.home", home.toString()));
            }
        }

        byte[] read(String internalName) throws IOException {
            if (rtJar != null) {
                var entry = rtJar.getEntry(internalName + ".class");
                return entry == null ? null : rtJar.getInputStream(entry).readAllBytes();
            }
            try (var modules = Files.list(jrt.getPath("modules"))) {
                for (Path module : modules.toList()) {
                    Path p = module.resolve(internalName + ".class");
                    if (Files.exists(p)) {
                        return Files.readAllBytes(p);
                    }
                }
            }
            return null;
        }

        @Override
        public Resolution locate(String name) throws IOException {
            byte[] bytes = read(name.replace('.', '/'));
            return bytes == null ? new Resolution.Illegal(name) : new Resolution.Explicit(bytes);
        }

        @Override
        public void close() throws IOException {
            if (rtJar != null) {
                rtJar.close();
            }
            if (jrt != null) {
                jrt.close();
            }
        }
    }
}
