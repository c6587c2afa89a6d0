package dev.redirectguard.classfile;

/** The opcodes the rewrites use, and instruction lengths for all of them. */
public final class Op {
    public static final int ICONST_M1 = 0x02;
    public static final int ICONST_0 = 0x03;
    public static final int ICONST_1 = 0x04;
    public static final int SIPUSH = 0x11;
    public static final int LDC = 0x12;
    public static final int LDC_W = 0x13;
    public static final int ILOAD = 0x15;
    public static final int ALOAD = 0x19;
    public static final int I2L = 0x85;
    public static final int DUP = 0x59;
    public static final int IF_ICMPGT = 0xa3;
    public static final int GOTO_W = 0xc8;
    public static final int JSR_W = 0xc9;
    public static final int TABLESWITCH = 0xaa;
    public static final int LOOKUPSWITCH = 0xab;
    public static final int IRETURN = 0xac;
    public static final int ARETURN = 0xb0;
    public static final int RETURN = 0xb1;
    public static final int GETFIELD = 0xb4;
    public static final int PUTFIELD = 0xb5;
    public static final int INVOKEVIRTUAL = 0xb6;
    public static final int INVOKESPECIAL = 0xb7;
    public static final int INVOKESTATIC = 0xb8;
    public static final int CHECKCAST = 0xc0;
    private static final int WIDE = 0xc4;
    private static final int IINC = 0x84;

    private Op() {
    }

    static boolean isBranch(int op) {
        return (op >= 0x99 && op <= 0xa8) || op == 0xc6 || op == 0xc7 || op == GOTO_W || op == JSR_W;
    }

    /** Length of the instruction at {@code p}, or -1 for an unknown opcode. */
    static int length(int op, int p, CodeEditor code) {
        if (op <= 0x0f) return 1;                       // nop .. dconst_1
        if (op == 0x10) return 2;                       // bipush
        if (op == SIPUSH) return 3;
        if (op == LDC) return 2;
        if (op == LDC_W || op == 0x14) return 3;        // ldc_w, ldc2_w
        if (op >= 0x15 && op <= 0x19) return 2;         // iload .. aload
        if (op >= 0x1a && op <= 0x35) return 1;         // xload_n, xaload
        if (op >= 0x36 && op <= 0x3a) return 2;         // istore .. astore
        if (op >= 0x3b && op <= 0x83) return 1;         // xstore_n .. lxor
        if (op == IINC) return 3;
        if (op >= 0x85 && op <= 0x98) return 1;         // conversions, compares
        if (op >= 0x99 && op <= 0xa8) return 3;         // if*, goto, jsr
        if (op == 0xa9) return 2;                       // ret
        if (op == TABLESWITCH) {
            int base = p + 1 + (3 - (p % 4));
            return base - p + 12 + 4 * (code.codeS4(base + 8) - code.codeS4(base + 4) + 1);
        }
        if (op == LOOKUPSWITCH) {
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
        if (op == CHECKCAST || op == 0xc1) return 3;    // checkcast, instanceof
        if (op == 0xc2 || op == 0xc3) return 1;         // monitorenter/exit
        if (op == WIDE) return code.code(p + 1) == IINC ? 6 : 4;
        if (op == 0xc5) return 4;                       // multianewarray
        if (op == 0xc6 || op == 0xc7) return 3;         // ifnull, ifnonnull
        if (op == GOTO_W || op == JSR_W) return 5;
        return -1;
    }
}
