package dev.redirectguard.rewrite;

import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * A method visitor that can hold back one instruction to see what follows it, for edits that
 * match two consecutive instructions ({@code sipush 307; if_icmpgt}, {@code ldc "POST";
 * invokevirtual equals}). Every event first releases what is held, unless a subclass consumes
 * it. Inserted code is straight-line and keeps the stack as it was at every label, so the
 * method's stack map frames stay valid; {@code extraStack} is added to the maximum stack size.
 */
abstract class PendingInsnVisitor extends MethodVisitor {
    /** Held back: an LDC constant, an int operand (SIPUSH/BIPUSH) or a plain opcode; null when none. */
    private Object held;
    private int heldOpcode;
    private final int extraStack;

    PendingInsnVisitor(MethodVisitor next, int extraStack) {
        super(Opcodes.ASM9, next);
        this.extraStack = extraStack;
    }

    /** Holds an LDC constant back; {@link #takeHeld()} consumes it, any other event releases it. */
    final void holdLdc(Object constant) {
        release();
        held = constant;
        heldOpcode = Opcodes.LDC;
    }

    final void holdIntInsn(int opcode, int operand) {
        release();
        held = operand;
        heldOpcode = opcode;
    }

    final void holdInsn(int opcode) {
        release();
        held = Boolean.TRUE;
        heldOpcode = opcode;
    }

    /** The held instruction's opcode, or -1. */
    final int heldOpcode() {
        return held == null ? -1 : heldOpcode;
    }

    final Object heldValue() {
        return held;
    }

    /** Drops the held instruction: the caller replaces it. */
    final void takeHeld() {
        held = null;
    }

    final void release() {
        if (held == null) {
            return;
        }
        Object h = held;
        held = null;
        if (heldOpcode == Opcodes.LDC) {
            super.visitLdcInsn(h);
        } else if (heldOpcode == Opcodes.SIPUSH || heldOpcode == Opcodes.BIPUSH) {
            super.visitIntInsn(heldOpcode, (Integer) h);
        } else {
            super.visitInsn(heldOpcode);
        }
    }

    @Override
    public void visitInsn(int opcode) {
        release();
        super.visitInsn(opcode);
    }

    @Override
    public void visitIntInsn(int opcode, int operand) {
        release();
        super.visitIntInsn(opcode, operand);
    }

    @Override
    public void visitVarInsn(int opcode, int var) {
        release();
        super.visitVarInsn(opcode, var);
    }

    @Override
    public void visitTypeInsn(int opcode, String type) {
        release();
        super.visitTypeInsn(opcode, type);
    }

    @Override
    public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
        release();
        super.visitFieldInsn(opcode, owner, name, descriptor);
    }

    @Override
    public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
        release();
        super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
    }

    @Override
    public void visitInvokeDynamicInsn(String name, String descriptor, Handle bsm, Object... bsmArgs) {
        release();
        super.visitInvokeDynamicInsn(name, descriptor, bsm, bsmArgs);
    }

    @Override
    public void visitJumpInsn(int opcode, Label label) {
        release();
        super.visitJumpInsn(opcode, label);
    }

    @Override
    public void visitLabel(Label label) {
        release();
        super.visitLabel(label);
    }

    @Override
    public void visitLdcInsn(Object value) {
        release();
        super.visitLdcInsn(value);
    }

    @Override
    public void visitIincInsn(int var, int increment) {
        release();
        super.visitIincInsn(var, increment);
    }

    @Override
    public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
        release();
        super.visitTableSwitchInsn(min, max, dflt, labels);
    }

    @Override
    public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
        release();
        super.visitLookupSwitchInsn(dflt, keys, labels);
    }

    @Override
    public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
        release();
        super.visitMultiANewArrayInsn(descriptor, numDimensions);
    }

    @Override
    public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
        release();
        super.visitFrame(type, numLocal, local, numStack, stack);
    }

    @Override
    public void visitLineNumber(int line, Label start) {
        release();
        super.visitLineNumber(line, start);
    }

    @Override
    public void visitMaxs(int maxStack, int maxLocals) {
        release();
        super.visitMaxs(maxStack + extraStack, maxLocals);
    }

    @Override
    public void visitEnd() {
        release();
        super.visitEnd();
    }

    // Emitting inserted code, bypassing release() (it runs between held and consuming instruction).

    final void emitInsn(int opcode) {
        super.visitInsn(opcode);
    }

    final void emitVar(int opcode, int var) {
        super.visitVarInsn(opcode, var);
    }

    final void emitField(int opcode, String owner, String name, String descriptor) {
        super.visitFieldInsn(opcode, owner, name, descriptor);
    }

    final void emitInvoke(int opcode, String owner, String name, String descriptor) {
        super.visitMethodInsn(opcode, owner, name, descriptor, false);
    }

    final void emitBridge(String name, String descriptor) {
        super.visitMethodInsn(Opcodes.INVOKESTATIC, BRIDGE, name, descriptor, false);
    }

    static final String BRIDGE = "java/lang/RedirectGuardBridge";
}
