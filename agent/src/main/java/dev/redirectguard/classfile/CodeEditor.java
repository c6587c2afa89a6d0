package dev.redirectguard.classfile;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Decodes one method's bytecode into instructions, takes straight-line insertions and
 * replacements, and writes a new Code attribute: branch offsets, switch padding, the exception
 * table, StackMapTable, LineNumberTable and LocalVariable(Type)Table are all moved to the new
 * offsets. A branch to an instruction lands on the code inserted before it, so inserted code must
 * leave the operand stack as it found it (or as the replaced instruction would have).
 */
public final class CodeEditor {
    /** One instruction of the original code. */
    public final class Insn {
        public final int index;
        public final int offset;
        public final int opcode;
        final int length;

        Insn(int index, int offset, int opcode, int length) {
            this.index = index;
            this.offset = offset;
            this.opcode = opcode;
            this.length = length;
        }

        /** The operand of bipush/sipush. */
        public int intOperand() {
            return opcode == Op.SIPUSH ? (short) cf.u2(codeStart + offset + 1) : (byte) code(offset + 1);
        }

        /** The string of an ldc/ldc_w of a String constant, else null. */
        public String stringConstant() {
            if (opcode == Op.LDC) {
                return cf.stringConstant(code(offset + 1));
            }
            return opcode == Op.LDC_W ? cf.stringConstant(cf.u2(codeStart + offset + 1)) : null;
        }

        /** Whether this is a field or method instruction with this opcode, owner (null: any), name and descriptor. */
        public boolean is(int op, String owner, String name, String descriptor) {
            if (opcode != op) {
                return false;
            }
            String[] ref = cf.memberRef(cf.u2(codeStart + offset + 1));
            return (owner == null || owner.equals(ref[0])) && name.equals(ref[1]) && descriptor.equals(ref[2]);
        }

        public Insn next() {
            return index + 1 < insns.size() ? insns.get(index + 1) : null;
        }

        public Insn previous() {
            return index > 0 ? insns.get(index - 1) : null;
        }
    }

    private final ClassFile cf;
    private final ClassFile.Method method;
    private final int codeStart; // offset of the bytecode within cf.bytes
    private final int codeLength;
    private final int maxStack;
    private final int maxLocals;
    private final List<Insn> insns = new ArrayList<Insn>();
    private final int[] insnAt; // original offset -> instruction index, -1 inside an instruction
    private final byte[][] before;
    private final byte[][] replacement;
    private int extraStack;

    public CodeEditor(ClassFile cf, ClassFile.Method method) throws ClassFileException {
        if (!method.hasCode()) {
            throw new ClassFileException(method.name() + " has no code");
        }
        this.cf = cf;
        this.method = method;
        int a = method.codeStart;
        maxStack = cf.u2(a + 6);
        maxLocals = cf.u2(a + 8);
        codeLength = (int) cf.u4(a + 10);
        codeStart = a + 14;
        insnAt = new int[codeLength + 1];
        Arrays.fill(insnAt, -1);
        int p = 0;
        while (p < codeLength) {
            int op = code(p);
            int length = length(op, p, this);
            if (length <= 0) {
                throw new ClassFileException(method.name() + ": unknown opcode " + op + " at " + p);
            }
            insnAt[p] = insns.size();
            insns.add(new Insn(insns.size(), p, op, length));
            p += length;
        }
        before = new byte[insns.size()][];
        replacement = new byte[insns.size()][];
    }

    int code(int p) {
        return cf.bytes[codeStart + p] & 0xFF;
    }

    int codeS4(int p) {
        return (int) cf.u4(codeStart + p);
    }

    public List<Insn> instructions() {
        return insns;
    }

    /** A builder whose constants go into this class's pool. */
    public Bytecode bytecode() {
        return new Bytecode(cf);
    }

    public void insertBefore(Insn insn, Bytecode code) {
        byte[] existing = before[insn.index];
        before[insn.index] = existing == null ? code.toBytes() : concat(existing, code.toBytes());
        extraStack = Math.max(extraStack, code.maxStack());
    }

    public void insertAfter(Insn insn, Bytecode code) throws ClassFileException {
        Insn next = insn.next();
        if (next == null) {
            throw new ClassFileException(method.name() + ": nothing follows offset " + insn.offset);
        }
        insertBefore(next, code);
    }

    /** Replaces one instruction that is not a branch or switch. */
    public void replace(Insn insn, Bytecode code) throws ClassFileException {
        if (isBranch(insn.opcode) || insn.opcode == Op.TABLESWITCH || insn.opcode == Op.LOOKUPSWITCH) {
            throw new ClassFileException("cannot replace a branch");
        }
        replacement[insn.index] = code.toBytes();
        extraStack = Math.max(extraStack, code.maxStack());
    }

    /** Writes the new Code attribute into the class (see {@link ClassFile#toBytes()}). */
    public void apply() throws ClassFileException {
        int n = insns.size();
        int[] start = new int[n + 1];   // where a branch to instruction i lands (its inserted code)
        int[] at = new int[n];          // where instruction i itself starts
        int pos = 0;
        for (int i = 0; i < n; i++) {
            Insn insn = insns.get(i);
            start[i] = pos;
            pos += before[i] == null ? 0 : before[i].length;
            at[i] = pos;
            if (replacement[i] != null) {
                pos += replacement[i].length;
            } else if (insn.opcode == Op.TABLESWITCH || insn.opcode == Op.LOOKUPSWITCH) {
                int oldPad = 3 - (insn.offset % 4);
                int newPad = 3 - (pos % 4);
                pos += insn.length - oldPad + newPad;
            } else {
                pos += insn.length;
            }
        }
        start[n] = pos;
        int newLength = pos;
        if (newLength > 65535) {
            throw new ClassFileException(method.name() + ": code too large");
        }
        ByteArrayOutputStream code = new ByteArrayOutputStream(newLength);
        for (int i = 0; i < n; i++) {
            Insn insn = insns.get(i);
            if (before[i] != null) {
                code.write(before[i], 0, before[i].length);
            }
            if (replacement[i] != null) {
                code.write(replacement[i], 0, replacement[i].length);
            } else if (isBranch(insn.opcode)) {
                boolean wide = insn.opcode == Op.GOTO_W || insn.opcode == Op.JSR_W;
                int target = insn.offset + (wide ? codeS4(insn.offset + 1) : (short) cf.u2(codeStart + insn.offset + 1));
                int delta = start[index(target)] - at[i];
                code.write(insn.opcode);
                if (wide) {
                    writeS4(code, delta);
                } else {
                    if (delta < Short.MIN_VALUE || delta > Short.MAX_VALUE) {
                        throw new ClassFileException(method.name() + ": branch at " + insn.offset + " out of range");
                    }
                    code.write(delta >>> 8);
                    code.write(delta);
                }
            } else if (insn.opcode == Op.TABLESWITCH || insn.opcode == Op.LOOKUPSWITCH) {
                code.write(insn.opcode);
                for (int pad = 3 - (at[i] % 4); pad > 0; pad--) {
                    code.write(0);
                }
                int p = insn.offset + 1 + (3 - (insn.offset % 4));
                writeS4(code, start[index(insn.offset + codeS4(p))] - at[i]);
                if (insn.opcode == Op.TABLESWITCH) {
                    int low = codeS4(p + 4);
                    int high = codeS4(p + 8);
                    writeS4(code, low);
                    writeS4(code, high);
                    for (int k = 0; k <= high - low; k++) {
                        writeS4(code, start[index(insn.offset + codeS4(p + 12 + 4 * k))] - at[i]);
                    }
                } else {
                    int pairs = codeS4(p + 4);
                    writeS4(code, pairs);
                    for (int k = 0; k < pairs; k++) {
                        writeS4(code, codeS4(p + 8 + 8 * k));
                        writeS4(code, start[index(insn.offset + codeS4(p + 12 + 8 * k))] - at[i]);
                    }
                }
            } else {
                code.write(cf.bytes, codeStart + insn.offset, insn.length);
            }
        }
        byte[] newCode = code.toByteArray();
        if (newCode.length != newLength) {
            throw new IllegalStateException("layout mismatch in " + method.name());
        }

        // Exception table and code attributes follow the bytecode.
        ByteArrayOutputStream tail = new ByteArrayOutputStream();
        int p = codeStart + codeLength;
        int handlers = cf.u2(p);
        writeU2(tail, handlers);
        p += 2;
        for (int h = 0; h < handlers; h++, p += 8) {
            writeU2(tail, start[index(cf.u2(p))]);
            writeU2(tail, start[index(cf.u2(p + 2))]);
            writeU2(tail, start[index(cf.u2(p + 4))]);
            writeU2(tail, cf.u2(p + 6));
        }
        int attributes = cf.u2(p);
        writeU2(tail, attributes);
        p += 2;
        for (int k = 0; k < attributes; k++) {
            int nameIndex = cf.u2(p);
            int length = (int) cf.u4(p + 2);
            String name = cf.utf8(nameIndex);
            byte[] body;
            if (name.equals("StackMapTable")) {
                body = stackMapTable(p + 6, start, at);
            } else if (name.equals("LineNumberTable")) {
                body = copy(p + 6, length);
                for (int e = 0, count = cf.u2(p + 6); e < count; e++) {
                    putU2(body, 2 + 4 * e, start[index(cf.u2(p + 8 + 4 * e))]);
                }
            } else if (name.equals("LocalVariableTable") || name.equals("LocalVariableTypeTable")) {
                body = copy(p + 6, length);
                for (int e = 0, count = cf.u2(p + 6); e < count; e++) {
                    int entry = p + 8 + 10 * e;
                    int from = cf.u2(entry);
                    int to = from + cf.u2(entry + 2);
                    putU2(body, 2 + 10 * e, start[index(from)]);
                    putU2(body, 4 + 10 * e, start[index(to)] - start[index(from)]);
                }
            } else {
                throw new ClassFileException(method.name() + ": code attribute " + name + " not supported");
            }
            writeU2(tail, nameIndex);
            writeS4(tail, body.length);
            tail.write(body, 0, body.length);
            p += 6 + length;
        }

        ByteArrayOutputStream attribute = new ByteArrayOutputStream(newLength + tail.size() + 16);
        writeU2(attribute, cf.u2(method.codeStart));
        writeS4(attribute, 8 + newLength + tail.size());
        writeU2(attribute, maxStack + extraStack);
        writeU2(attribute, maxLocals);
        writeS4(attribute, newLength);
        attribute.write(newCode, 0, newCode.length);
        byte[] t = tail.toByteArray();
        attribute.write(t, 0, t.length);
        method.newCode = attribute.toByteArray();
    }

    /** Instruction index at an original offset; the end of the code maps to n. */
    private int index(int offset) throws ClassFileException {
        if (offset == codeLength) {
            return insns.size();
        }
        if (offset < 0 || offset > codeLength || insnAt[offset] < 0) {
            throw new ClassFileException(method.name() + ": offset " + offset + " is not an instruction");
        }
        return insnAt[offset];
    }

    /** Re-encodes the frames at their new offsets; frame types widen where a delta outgrows them. */
    private byte[] stackMapTable(int p, int[] start, int[] at) throws ClassFileException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int count = cf.u2(p);
        writeU2(out, count);
        p += 2;
        int oldOffset = -1;
        int newPrevious = -1;
        for (int f = 0; f < count; f++) {
            int type = cf.u1(p++);
            int delta;
            if (type < 64) {
                delta = type;
            } else if (type < 128) {
                delta = type - 64;
            } else if (type < 247) {
                throw new ClassFileException(method.name() + ": reserved frame type " + type);
            } else {
                delta = cf.u2(p);
                p += 2;
            }
            oldOffset = oldOffset + delta + 1;
            int newOffset = start[index(oldOffset)];
            int newDelta = newOffset - newPrevious - 1;
            newPrevious = newOffset;
            if (type < 64 || type == 251) {
                if (newDelta < 64) {
                    out.write(newDelta);
                } else {
                    out.write(251);
                    writeU2(out, newDelta);
                }
            } else if (type < 128 || type == 247) {
                if (newDelta < 64) {
                    out.write(64 + newDelta);
                } else {
                    out.write(247);
                    writeU2(out, newDelta);
                }
                p = verificationType(p, out, at);
            } else if (type < 251) {
                out.write(type);
                writeU2(out, newDelta);
            } else if (type < 255) {
                out.write(type);
                writeU2(out, newDelta);
                for (int k = 0; k < type - 251; k++) {
                    p = verificationType(p, out, at);
                }
            } else {
                out.write(type);
                writeU2(out, newDelta);
                int locals = cf.u2(p);
                writeU2(out, locals);
                p += 2;
                for (int k = 0; k < locals; k++) {
                    p = verificationType(p, out, at);
                }
                int stack = cf.u2(p);
                writeU2(out, stack);
                p += 2;
                for (int k = 0; k < stack; k++) {
                    p = verificationType(p, out, at);
                }
            }
        }
        return out.toByteArray();
    }

    private int verificationType(int p, ByteArrayOutputStream out, int[] at) throws ClassFileException {
        int tag = cf.u1(p);
        out.write(tag);
        if (tag == 7) { // Object: constant pool index
            writeU2(out, cf.u2(p + 1));
            return p + 3;
        }
        if (tag == 8) { // Uninitialized: offset of its 'new' instruction
            writeU2(out, at[index(cf.u2(p + 1))]);
            return p + 3;
        }
        return p + 1;
    }

    private byte[] copy(int p, int length) {
        byte[] b = new byte[length];
        System.arraycopy(cf.bytes, p, b, 0, length);
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }

    private static void putU2(byte[] b, int p, int v) {
        b[p] = (byte) (v >>> 8);
        b[p + 1] = (byte) v;
    }

    private static void writeU2(ByteArrayOutputStream out, int v) {
        out.write(v >>> 8);
        out.write(v);
    }

    private static void writeS4(ByteArrayOutputStream out, int v) {
        out.write(v >>> 24);
        out.write(v >>> 16);
        out.write(v >>> 8);
        out.write(v);
    }

    private static boolean isBranch(int op) {
        return (op >= 0x99 && op <= 0xa8) || op == 0xc6 || op == 0xc7 || op == Op.GOTO_W || op == Op.JSR_W;
    }

    /** Length of the instruction at {@code p}, or -1 for an unknown opcode. */
    private static int length(int op, int p, CodeEditor code) {
        if (op <= 0x0f) return 1;                       // nop .. dconst_1
        if (op == 0x10) return 2;                       // bipush
        if (op == Op.SIPUSH) return 3;
        if (op == Op.LDC) return 2;
        if (op == Op.LDC_W || op == 0x14) return 3;        // ldc_w, ldc2_w
        if (op >= 0x15 && op <= 0x19) return 2;         // iload .. aload
        if (op >= 0x1a && op <= 0x35) return 1;         // xload_n, xaload
        if (op >= 0x36 && op <= 0x3a) return 2;         // istore .. astore
        if (op >= 0x3b && op <= 0x83) return 1;         // xstore_n .. lxor
        if (op == Op.IINC) return 3;
        if (op >= 0x85 && op <= 0x98) return 1;         // conversions, compares
        if (op >= 0x99 && op <= 0xa8) return 3;         // if*, goto, jsr
        if (op == 0xa9) return 2;                       // ret
        if (op == Op.TABLESWITCH) {
            int base = p + 1 + (3 - (p % 4));
            return base - p + 12 + 4 * (code.codeS4(base + 8) - code.codeS4(base + 4) + 1);
        }
        if (op == Op.LOOKUPSWITCH) {
            int base = p + 1 + (3 - (p % 4));
            return base - p + 8 + 8 * code.codeS4(base + 4);
        }
        if (op >= 0xac && op <= 0xb1) return 1;         // returns
        if (op >= 0xb2 && op <= 0xb8) return 3;         // fields, invokevirtual/special/static
        if (op == 0xb9 || op == 0xba) return 5;         // invokeinterface, invokedynamic
        if (op == 0xbb) return 3;                       // new
        if (op == 0xbc) return 2;                       // newarray
        if (op == 0xbd) return 3;                       // anewarray
        if (op >= 0xbe && op <= 0xbf) return 1;         // arraylength, athrow
        if (op == Op.CHECKCAST || op == 0xc1) return 3;    // checkcast, instanceof
        if (op == 0xc2 || op == 0xc3) return 1;         // monitorenter/exit
        if (op == Op.WIDE) return code.code(p + 1) == Op.IINC ? 6 : 4;
        if (op == 0xc5) return 4;                       // multianewarray
        if (op == 0xc6 || op == 0xc7) return 3;         // ifnull, ifnonnull
        if (op == Op.GOTO_W || op == Op.JSR_W) return 5;
        return -1;
    }
}
