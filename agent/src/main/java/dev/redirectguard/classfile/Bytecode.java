package dev.redirectguard.classfile;

import java.io.ByteArrayOutputStream;

/**
 * Builds a straight-line code fragment: no branches, no new locals. Tracks the deepest stack it
 * reaches, counted from the stack it starts on.
 */
public final class Bytecode {
    private final ClassFile cf;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private int depth;
    private int maxDepth;

    Bytecode(ClassFile cf) {
        this.cf = cf;
    }

    byte[] toBytes() {
        return out.toByteArray();
    }

    int maxStack() {
        return maxDepth;
    }

    private Bytecode op(int opcode, int stackChange) {
        out.write(opcode);
        depth += stackChange;
        maxDepth = Math.max(maxDepth, depth);
        return this;
    }

    private void u2(int v) {
        out.write(v >>> 8);
        out.write(v);
    }

    public Bytecode dup() {
        return op(Op.DUP, 1);
    }

    public Bytecode iconstM1() {
        return op(Op.ICONST_M1, 1);
    }

    public Bytecode aconstNull() {
        return op(0x01, 1);
    }

    public Bytecode i2l() {
        return op(Op.I2L, 1);
    }

    public Bytecode aload(int local) {
        return local(Op.ALOAD, local);
    }

    public Bytecode iload(int local) {
        return local(Op.ILOAD, local);
    }

    private Bytecode local(int opcode, int local) {
        if (local > 255) {
            throw new IllegalArgumentException("local " + local);
        }
        op(opcode, 1);
        out.write(local);
        return this;
    }

    public Bytecode getField(String owner, String name, String descriptor) {
        op(Op.GETFIELD, slots(descriptor) - 1);
        u2(cf.addMemberRef(ClassFile.FIELDREF, owner, name, descriptor));
        return this;
    }

    public Bytecode putField(String owner, String name, String descriptor) {
        op(Op.PUTFIELD, -1 - slots(descriptor));
        u2(cf.addMemberRef(ClassFile.FIELDREF, owner, name, descriptor));
        return this;
    }

    public Bytecode invokeStatic(String owner, String name, String descriptor) {
        op(Op.INVOKESTATIC, returnSlots(descriptor) - argumentSlots(descriptor));
        u2(cf.addMemberRef(ClassFile.METHODREF, owner, name, descriptor));
        return this;
    }

    public Bytecode checkCast(String internalName) {
        op(Op.CHECKCAST, 0);
        u2(cf.addClass(internalName));
        return this;
    }

    private static int slots(String descriptor) {
        char c = descriptor.charAt(0);
        return c == 'J' || c == 'D' ? 2 : c == 'V' ? 0 : 1;
    }

    private static int returnSlots(String methodDescriptor) {
        return slots(methodDescriptor.substring(methodDescriptor.indexOf(')') + 1));
    }

    private static int argumentSlots(String methodDescriptor) {
        int n = 0;
        int i = 1;
        while (methodDescriptor.charAt(i) != ')') {
            char c = methodDescriptor.charAt(i);
            if (c == 'L' || c == '[') {
                while (methodDescriptor.charAt(i) == '[') {
                    i++;
                }
                if (methodDescriptor.charAt(i) == 'L') {
                    i = methodDescriptor.indexOf(';', i);
                }
                n++;
            } else {
                n += c == 'J' || c == 'D' ? 2 : 1;
            }
            i++;
        }
        return n;
    }
}
