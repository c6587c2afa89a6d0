package dev.redirectguard.rewrite;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicVerifier;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an operator runs before a rollout on a JDK build nobody has tried, and what the tests run
 * on every JDK of the matrix: rewrites the running JDK's classes in memory and checks each result
 * twice. ASM's analyzer (data flow of every method) is the referee for the code; it does not read
 * stack map frames, so HotSpot itself checks them too: a child JVM of the same Java loads every
 * target with the agent in enforce and {@code -XX:+BytecodeVerificationLocal} (boot classes are
 * otherwise not verified), so a frame error fails the check, never an application.
 */
public final class RewriteCheck {
    /** Main class of the child JVM, at the root of the agent jar. */
    static final String LOADER_CHILD = "dev.redirectguard.boot.LoadTargets";

    /** What happened to one JDK class. */
    public static final class Outcome {
        final String className;
        final boolean present;
        final String refusal;
        final String verifyError;
        String hotSpotError;

        Outcome(String className, boolean present, String refusal, String verifyError) {
            this.className = className;
            this.present = present;
            this.refusal = refusal;
            this.verifyError = verifyError;
        }

        public boolean present() {
            return present;
        }

        public boolean ok() {
            return !present || (refusal == null && verifyError == null && hotSpotError == null);
        }

        public String refusal() {
            return refusal;
        }

        @Override
        public String toString() {
            String name = className.replace('/', '.');
            if (!present) {
                return name + ": not in this JDK";
            }
            if (refusal != null) {
                return name + ": would be left untouched, unknown code shape " + refusal;
            }
            if (verifyError != null) {
                return name + ": rewrite FAILS verification: " + verifyError;
            }
            if (hotSpotError != null) {
                return name + ": rewrite FAILS HotSpot's verifier: " + hotSpotError;
            }
            return name + ": rewritten and verified";
        }
    }

    private final Rewrites rewrites;

    public RewriteCheck(Rewrites rewrites) {
        this.rewrites = rewrites;
    }

    /** Checks one class given its original bytes (null: the JDK has no such class), with ASM only. */
    public Outcome check(String internalName, byte[] original, net.bytebuddy.dynamic.ClassFileLocator jdkClasses) {
        if (original == null) {
            return new Outcome(internalName, false, null, null);
        }
        byte[] rewritten;
        try {
            rewritten = rewrites.rewrite(internalName, original, jdkClasses);
        } catch (ShapeException e) {
            return new Outcome(internalName, true, e.getMessage(), null);
        }
        return new Outcome(internalName, true, null, verify(rewritten));
    }

    /**
     * Every target class of the running JDK, read from its runtime image, checked with ASM; then,
     * when {@code agentJar} is given, loaded by HotSpot in a child JVM of this Java.
     */
    public List<Outcome> checkRunningJdk(File agentJar) throws IOException, InterruptedException {
        List<Outcome> outcomes = new ArrayList<Outcome>();
        ClassLoader platform = ClassLoader.getSystemClassLoader().getParent();
        for (String name : RewriteTargets.all()) {
            byte[] original = read(name);
            boolean javaNetHttp = name.startsWith("jdk/internal/net/http/");
            net.bytebuddy.dynamic.ClassFileLocator jdkClasses = javaNetHttp && platform != null
                    ? net.bytebuddy.dynamic.ClassFileLocator.ForClassLoader.of(platform)
                    : net.bytebuddy.dynamic.ClassFileLocator.ForClassLoader.ofBootLoader();
            outcomes.add(check(name, original, jdkClasses));
        }
        if (agentJar != null) {
            verifyWithHotSpot(agentJar, outcomes);
        }
        return outcomes;
    }

    /** null when every method passes ASM's BasicVerifier, else the first failure. */
    public static String verify(byte[] classFile) {
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

    /** Loads every present target in a child JVM with the agent in enforce and HotSpot verifying boot classes. */
    private static void verifyWithHotSpot(File agentJar, List<Outcome> outcomes) throws IOException, InterruptedException {
        List<String> names = new ArrayList<String>();
        for (Outcome o : outcomes) {
            if (o.present && o.refusal == null) {
                names.add(o.className.replace('/', '.'));
            }
        }
        if (names.isEmpty()) {
            return;
        }
        List<String> cmd = new ArrayList<String>(Arrays.asList(
                new File(System.getProperty("java.home"), "bin" + File.separator + "java").getPath(),
                "-XX:+UnlockDiagnosticVMOptions", "-XX:+BytecodeVerificationLocal", "-XX:+BytecodeVerificationRemote",
                "-Xshare:auto", "-javaagent:" + agentJar.getPath() + "=mode=enforce,jmx=off,log=stderr",
                "-cp", agentJar.getPath(), LOADER_CHILD));
        cmd.addAll(names);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        Map<String, String> result = new LinkedHashMap<String, String>();
        StringBuilder other = new StringBuilder();
        BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), Charset.forName("UTF-8")));
        try {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("loaded ")) {
                    result.put(line.substring("loaded ".length()), "");
                } else if (line.startsWith("failed ")) {
                    int space = line.indexOf(' ', "failed ".length());
                    result.put(line.substring("failed ".length(), space), line.substring(space + 1));
                } else {
                    other.append(other.length() == 0 ? "" : " | ").append(line);
                }
            }
        } finally {
            in.close();
        }
        int exit = p.waitFor();
        for (Outcome o : outcomes) {
            String name = o.className.replace('/', '.');
            if (!names.contains(name)) {
                continue;
            }
            String r = result.get(name);
            if (r == null) {
                o.hotSpotError = "the child JVM did not load it (exit " + exit + "): " + other;
            } else if (!r.isEmpty()) {
                o.hotSpotError = r;
            } else if (other.indexOf(name + ": left untouched") >= 0) {
                o.hotSpotError = "the agent left it untouched in the child JVM: " + other;
            }
        }
    }

    private static byte[] read(String internalName) throws IOException {
        InputStream in = ClassLoader.getSystemResourceAsStream(internalName + ".class");
        if (in == null) {
            return null;
        }
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buf = new byte[16384];
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
            }
            return out.toByteArray();
        } finally {
            in.close();
        }
    }
}
