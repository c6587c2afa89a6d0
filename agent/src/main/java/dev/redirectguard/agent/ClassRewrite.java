package dev.redirectguard.agent;

import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.MethodNode;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A rewrite of one JDK class. Only the methods a rewrite names are read into trees; every other
 * method is copied as bytes. Rewrites insert straight-line code only (no branches, no new locals),
 * so the class's stack map frames stay valid and nothing has to be recomputed. If any expected
 * code shape is missing, the whole class is left as the JDK shipped it and the reason is returned.
 */
abstract class ClassRewrite {
    static final String BRIDGE = "java/lang/RedirectGuardBridge";

    /** A failed shape check: the class is left untouched. */
    static final class ShapeMismatch extends Exception {
        private static final long serialVersionUID = 1L;

        ShapeMismatch(String message) {
            super(message);
        }
    }

    /** The result of {@link #rewrite}: new bytes, or the reason there are none. */
    static final class Result {
        final byte[] bytes;
        final String refusal;

        Result(byte[] bytes, String refusal) {
            this.bytes = bytes;
            this.refusal = refusal;
        }
    }

    /** Internal name of the class this rewrite handles. */
    abstract String className();

    /** Fields (name to descriptor) that the inserted code reads or writes. */
    abstract Map<String, String> requiredFields();

    /** Whether this method is rewritten. */
    abstract boolean targets(String name, String descriptor);

    /** Rewrites one targeted method in place; returns the extra stack depth it needs. */
    abstract int rewrite(MethodNode method) throws ShapeMismatch;

    /** Called once all methods were seen: e.g. checks that every required method was found. */
    abstract void checkComplete(Set<String> rewrittenMethods) throws ShapeMismatch;

    final Result rewrite(byte[] original) {
        ClassReader reader = new ClassReader(original);
        ClassWriter writer = new ClassWriter(reader, 0);
        final List<String> problems = new ArrayList<String>();
        final Set<String> rewritten = new HashSet<String>();
        final Map<String, String> fields = new LinkedHashMap<String, String>();
        ClassVisitor visitor = new ClassVisitor(Opcodes.ASM9, writer) {
            @Override
            public FieldVisitor visitField(int access, String name, String descriptor, String signature,
                                           Object value) {
                fields.put(name, descriptor);
                return super.visitField(access, name, descriptor, signature, value);
            }

            @Override
            public MethodVisitor visitMethod(int access, final String name, final String descriptor,
                                             String signature, String[] exceptions) {
                final MethodVisitor next = super.visitMethod(access, name, descriptor, signature, exceptions);
                if (!targets(name, descriptor)) {
                    return next;
                }
                return new MethodNode(Opcodes.ASM9, access, name, descriptor, signature, exceptions) {
                    @Override
                    public void visitEnd() {
                        try {
                            maxStack += ClassRewrite.this.rewrite(this);
                            rewritten.add(name + descriptor);
                        } catch (ShapeMismatch e) {
                            problems.add(name + descriptor + ": " + e.getMessage());
                        }
                        accept(next);
                    }
                };
            }
        };
        reader.accept(visitor, 0);
        for (Map.Entry<String, String> f : requiredFields().entrySet()) {
            if (!f.getValue().equals(fields.get(f.getKey()))) {
                problems.add("field " + f.getKey() + " " + f.getValue() + " not found");
            }
        }
        try {
            checkComplete(rewritten);
        } catch (ShapeMismatch e) {
            problems.add(e.getMessage());
        }
        if (!problems.isEmpty()) {
            return new Result(null, problems.toString());
        }
        return new Result(writer.toByteArray(), null);
    }

    // ---- matching helpers ----

    /** The next instruction that is a real opcode (labels, frames and line numbers skipped). */
    static AbstractInsnNode nextReal(AbstractInsnNode insn) {
        AbstractInsnNode n = insn.getNext();
        while (n != null && n.getOpcode() < 0) {
            n = n.getNext();
        }
        return n;
    }

    static AbstractInsnNode previousReal(AbstractInsnNode insn) {
        AbstractInsnNode n = insn.getPrevious();
        while (n != null && n.getOpcode() < 0) {
            n = n.getPrevious();
        }
        return n;
    }

    static void expectCount(String what, int found, int expected) throws ShapeMismatch {
        if (found != expected) {
            throw new ShapeMismatch("expected " + expected + " x " + what + ", found " + found);
        }
    }

    static void expectAtLeastOne(String what, int found) throws ShapeMismatch {
        if (found < 1) {
            throw new ShapeMismatch("no " + what);
        }
    }
}
