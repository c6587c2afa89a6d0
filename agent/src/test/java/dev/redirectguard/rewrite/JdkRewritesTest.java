package dev.redirectguard.agent;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.net.URI;
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
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Rewrites the HTTP classes of every JDK of the matrix (read from their runtime images, nothing
 * is run) and checks the result with ASM's analyzer. The running JDK is always checked; the
 * others come from JDK8_HOME .. JDK27_HOME, which CI sets and requires.
 */
class JdkRewritesTest {
    private static final String[] VERSIONS = {"8", "11", "17", "21", "25", "27"};

    @Test
    void runningJdkIsRewrittenAndVerified() throws Exception {
        for (RewriteCheck.Outcome o : RewriteCheck.checkRunningJdk()) {
            assertTrue(o.present, o.toString());
            assertTrue(o.ok(), o.toString());
        }
    }

    @Test
    void aClassOfAnotherShapeIsRefusedWithTheReasons() throws Exception {
        byte[] notHttp;
        try (var in = JdkRewritesTest.class.getResourceAsStream("JdkRewritesTest.class")) {
            notHttp = in.readAllBytes();
        }
        for (String name : Rewrites.TARGETS) {
            var e = org.junit.jupiter.api.Assertions.assertThrows(dev.redirectguard.classfile.ClassFileException.class,
                    () -> Rewrites.rewrite(name, notHttp));
            assertTrue(e.getMessage().startsWith("["), e.getMessage());
        }
        RewriteCheck.Outcome o = RewriteCheck.check(SunHttpUrlConnectionRewrite.NAME, notHttp);
        assertTrue(!o.ok() && o.toString().contains("would be left untouched, unknown code shape"), o.toString());
    }

    @Test
    void aJdkClassMissingOneExpectedInstructionIsRefused() throws Exception {
        // HttpURLConnection with its "http.strictPostRedirect" string renamed: one shape check fails.
        byte[] original = read(Path.of(System.getProperty("java.home")), SunHttpUrlConnectionRewrite.NAME);
        byte[] changed = original.clone();
        byte[] from = "http.strictPostRedirect".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        byte[] to = "http.strictPostRedirecT".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        int at = indexOf(changed, from);
        assertTrue(at > 0);
        System.arraycopy(to, 0, changed, at, to.length);
        var e = org.junit.jupiter.api.Assertions.assertThrows(dev.redirectguard.classfile.ClassFileException.class,
                () -> Rewrites.rewrite(SunHttpUrlConnectionRewrite.NAME, changed));
        assertEquals("[followRedirect0: expected 1 x Boolean.getBoolean(\"http.strictPostRedirect\"), found 0]",
                e.getMessage());
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
                if ("true".equals(System.getenv("CI"))) {
                    tests.add(DynamicTest.dynamicTest("jdk" + v, () -> fail("JDK" + v + "_HOME is not set on CI")));
                }
                continue;
            }
            tests.add(DynamicTest.dynamicTest("jdk" + v, () -> checkJdk(v, Path.of(home))));
        }
        assertTrue(!tests.isEmpty() || !"true".equals(System.getenv("CI")));
        return tests;
    }

    private static void checkJdk(String version, Path home) throws Exception {
        for (String name : Rewrites.TARGETS) {
            byte[] original = read(home, name);
            boolean httpClient = !name.startsWith("sun/");
            if (version.equals("8")) {
                assertEquals(!httpClient, original != null, name + " on 8");
            } else {
                assertNotNull(original, name + " on " + version);
            }
            RewriteCheck.Outcome o = RewriteCheck.check(name, original);
            assertTrue(o.ok(), "jdk" + version + ": " + o);
        }
    }

    /** A class file from a JDK's runtime image: rt.jar on 8, the jrt file system on 9+. */
    static byte[] read(Path home, String internalName) throws Exception {
        Path rtJar = home.resolve("jre/lib/rt.jar");
        if (Files.exists(rtJar)) {
            try (ZipFile zip = new ZipFile(rtJar.toFile())) {
                var entry = zip.getEntry(internalName + ".class");
                return entry == null ? null : zip.getInputStream(entry).readAllBytes();
            }
        }
        try (FileSystem jrt = FileSystems.newFileSystem(URI.create("jrt:/"), Map.of("java.home", home.toString()))) {
            String module = internalName.startsWith("sun/") ? "java.base" : "java.net.http";
            Path p = jrt.getPath("modules", module, internalName + ".class");
            return Files.exists(p) ? Files.readAllBytes(p) : null;
        }
    }
}
