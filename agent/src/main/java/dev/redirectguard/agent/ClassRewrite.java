package dev.redirectguard.agent;

import dev.redirectguard.classfile.Bytecode;
import dev.redirectguard.classfile.ClassFile;
import dev.redirectguard.classfile.ClassFileException;
import dev.redirectguard.classfile.CodeEditor;

import java.util.List;

/**
 * A rewrite of one JDK class. It inserts straight-line code only (no branches, no new locals),
 * so the class's stack map frames keep their meaning. An interface, so that the JVM's verifier
 * loads no rewrite but the one a class needs.
 */
interface ClassRewrite {
    String BRIDGE = "java/lang/RedirectGuardBridge";

    /** Edits the class; adds to {@code problems} every expected shape it does not find. */
    void edit(ClassFile cf, List<String> problems) throws ClassFileException;

    /** The method with this name and descriptor, or null. */
    static ClassFile.Method method(ClassFile cf, String name, String descriptor) {
        for (ClassFile.Method m : cf.methods()) {
            if (m.is(name, descriptor)) {
                return m;
            }
        }
        return null;
    }

    /** Checks that the inserted code's fields exist with the expected types. */
    static void requireFields(List<String> problems, ClassFile cf, String... namesAndDescriptors) {
        for (int i = 0; i + 1 < namesAndDescriptors.length; i += 2) {
            if (!cf.hasField(namesAndDescriptors[i], namesAndDescriptors[i + 1])) {
                problems.add("field " + namesAndDescriptors[i] + " " + namesAndDescriptors[i + 1] + " not found");
            }
        }
    }

    static void expect(List<String> problems, String method, String what, int found, int expected) {
        if (found != expected) {
            problems.add(method + ": expected " + expected + " x " + what + ", found " + found);
        }
    }

    static void expectSome(List<String> problems, String method, String what, int found) {
        if (found < 1) {
            problems.add(method + ": no " + what);
        }
    }

    /** Inserts {@code code} before every instruction with this opcode; returns how many. */
    static int beforeEach(CodeEditor editor, int opcode, FragmentFactory code) {
        int n = 0;
        for (CodeEditor.Insn insn : editor.instructions()) {
            if (insn.opcode == opcode) {
                editor.insertBefore(insn, code.create(editor));
                n++;
            }
        }
        return n;
    }

    /** Makes one code fragment; a fresh one per insertion point. */
    interface FragmentFactory {
        Bytecode create(CodeEditor editor);
    }
}
