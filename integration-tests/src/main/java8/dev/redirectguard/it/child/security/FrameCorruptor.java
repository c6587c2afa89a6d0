package dev.redirectguard.it.child.security;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;

/**
 * A test agent that plays a rewrite bug: placed after redirect-guard on the command line, it
 * receives a JDK class as redirect-guard rewrote it and changes one entry of one stack map frame
 * of one method (local 1, {@code java/lang/String}, becomes {@code java/lang/Integer}), nothing
 * else. It keeps both versions ({@code rewritten.class}, {@code corrupted.class} in the dump
 * directory) so the test can show that ASM's BasicVerifier, which ignores frames, passes both.
 *
 * <p>Agent argument: {@code <internal class name>,<method name>,<dump directory>}. Prints
 * {@code frame-corruptor<TAB>...} lines. Java 8; needs ASM on the class path.
 */
public final class FrameCorruptor implements ClassFileTransformer {
    private final String className;
    private final String methodName;
    private final File dump;

    private FrameCorruptor(String className, String methodName, File dump) {
        this.className = className;
        this.methodName = methodName;
        this.dump = dump;
    }

    public static void premain(String args, Instrumentation inst) {
        String[] a = args.split(",");
        // Retransformation-capable, registered after redirect-guard's: it sees redirect-guard's output.
        inst.addTransformer(new FrameCorruptor(a[0], a[1], new File(a[2])), true);
    }

    @Override
    public byte[] transform(ClassLoader loader, String name, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] bytes) {
        if (!className.equals(name)) {
            return null;
        }
        try {
            boolean rewritten = new String(bytes, "ISO-8859-1").contains("java/lang/RedirectGuardBridge");
            say("rewritten-by-agent\t" + rewritten);
            write("rewritten.class", bytes);
            ClassReader reader = new ClassReader(bytes);
            ClassWriter writer = new ClassWriter(0); // frames as given: nothing recomputes them
            final String[] changed = {null};
            reader.accept(new ClassVisitor(Opcodes.ASM9, writer) {
                @Override
                public MethodVisitor visitMethod(int access, final String mName, String desc, String signature,
                                                 String[] exceptions) {
                    MethodVisitor mv = super.visitMethod(access, mName, desc, signature, exceptions);
                    if (!mName.equals(methodName) || changed[0] != null) {
                        return mv;
                    }
                    return new MethodVisitor(Opcodes.ASM9, mv) {
                        private int frame;

                        @Override
                        public void visitFrame(int type, int nLocal, Object[] local, int nStack, Object[] stack) {
                            frame++;
                            if (changed[0] == null && type == Opcodes.F_NEW && nLocal > 1
                                    && "java/lang/String".equals(local[1])) {
                                Object[] wrong = local.clone();
                                wrong[1] = "java/lang/Integer";
                                changed[0] = mName + " frame " + frame + ": local 1 java/lang/String -> java/lang/Integer";
                                super.visitFrame(type, nLocal, wrong, nStack, stack);
                                return;
                            }
                            super.visitFrame(type, nLocal, local, nStack, stack);
                        }
                    };
                }
            }, ClassReader.EXPAND_FRAMES);
            if (changed[0] == null) {
                say("corrupted\tnothing: no frame of " + methodName + " has a String in local 1");
                return null;
            }
            byte[] corrupted = writer.toByteArray();
            write("corrupted.class", corrupted);
            say("corrupted\t" + changed[0]);
            return corrupted;
        } catch (Throwable t) {
            say("failed\t" + t);
            return null;
        }
    }

    private void write(String file, byte[] bytes) throws IOException {
        dump.mkdirs();
        FileOutputStream out = new FileOutputStream(new File(dump, file));
        try {
            out.write(bytes);
        } finally {
            out.close();
        }
    }

    private static void say(String line) {
        System.out.println("frame-corruptor\t" + line);
        System.out.flush();
    }
}
