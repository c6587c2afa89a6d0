package dev.redirectguard.classfile;

/** The opcodes the rewrites and the editor use (constants only: javac inlines them). */
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
    static final int WIDE = 0xc4;
    static final int IINC = 0x84;

    private Op() {
    }
}
