package dev.redirectguard.agent;

import dev.redirectguard.classfile.ClassFileException;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.tree.ClassNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.analysis.Analyzer;
import org.objectweb.asm.tree.analysis.AnalyzerException;
import org.objectweb.asm.tree.analysis.BasicVerifier;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Rewrites the JDK classes of the running JVM without installing anything, and checks every
 * method of the result with ASM's data-flow analyzer: what an operator runs before a rollout on
 * a JDK build nobody has tried, and what the tests run on every JDK of the matrix.
 */
final class RewriteCheck {
    /** What happened to one JDK class. */
    static final class Outcome {
        final String className;
        final boolean present;
        final String refusal;
        final String verifyError;

        Outcome(String className, boolean present, String refusal, String verifyError) {
            this.className = className;
            this.present = present;
            this.refusal = refusal;
            this.verifyError = verifyError;
        }

        boolean ok() {
            return !present || (refusal == null && verifyError == null);
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
            return name + ": rewritten and verified";
        }
    }

    private RewriteCheck() {
    }

    /** Checks one class given its original bytes (null: the JDK has no such class). */
    static Outcome check(String internalName, byte[] original) {
        if (original == null) {
            return new Outcome(internalName, false, null, null);
        }
        byte[] rewritten;
        try {
            rewritten = Rewrites.rewrite(internalName, original);
        } catch (ClassFileException e) {
            return new Outcome(internalName, true, e.getMessage(), null);
        }
        return new Outcome(internalName, true, null, verify(rewritten));
    }

    /** Every target class of the running JDK, read from its runtime image. */
    static List<Outcome> checkRunningJdk() throws IOException {
        List<Outcome> outcomes = new ArrayList<Outcome>();
        for (String name : Rewrites.TARGETS) {
            outcomes.add(check(name, read(name)));
        }
        return outcomes;
    }

    /** null when every method passes ASM's BasicVerifier, else the first failure. */
    static String verify(byte[] classFile) {
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
