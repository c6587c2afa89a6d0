package dev.redirectguard.agent;

import dev.redirectguard.classfile.Bytecode;
import dev.redirectguard.classfile.ClassFile;
import dev.redirectguard.classfile.ClassFileException;
import dev.redirectguard.classfile.CodeEditor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A rewrite of one JDK class. It inserts straight-line code only (no branches, no new locals),
 * so the class's stack map frames keep their meaning. If any expected code shape is missing, the
 * whole class is left as the JDK shipped it and the reason is returned.
 */
abstract class ClassRewrite {
    static final String BRIDGE = "java/lang/RedirectGuardBridge";
    /** The JDK classes the agent rewrites (internal names). */
    static final String[] TARGETS = {
        SunHttpUrlConnectionRewrite.NAME, JdkRedirectFilterRewrite.NAME, JdkHttpRequestImplRewrite.NAME,
        JdkMultiExchangeRewrite.NAME,
    };

    /** The result of {@link #rewrite}: new bytes, or the reason there are none. */
    static final class Result {
        final byte[] bytes;
        final String refusal;

        Result(byte[] bytes, String refusal) {
            this.bytes = bytes;
            this.refusal = refusal;
        }
    }

    /** The rewrite for one of {@link #TARGETS}. */
    static ClassRewrite forClass(String internalName) {
        if (internalName.equals(SunHttpUrlConnectionRewrite.NAME)) {
            return new SunHttpUrlConnectionRewrite();
        }
        if (internalName.equals(JdkRedirectFilterRewrite.NAME)) {
            return new JdkRedirectFilterRewrite();
        }
        if (internalName.equals(JdkHttpRequestImplRewrite.NAME)) {
            return new JdkHttpRequestImplRewrite();
        }
        if (internalName.equals(JdkMultiExchangeRewrite.NAME)) {
            return new JdkMultiExchangeRewrite();
        }
        throw new IllegalArgumentException(internalName);
    }

    /** Edits the class; adds to {@code problems} every expected shape it does not find. */
    abstract void edit(ClassFile cf, List<String> problems) throws ClassFileException;

    final Result rewrite(byte[] original) {
        try {
            ClassFile cf = new ClassFile(original);
            List<String> problems = new ArrayList<String>();
            edit(cf, problems);
            if (!problems.isEmpty()) {
                return new Result(null, problems.toString());
            }
            return new Result(cf.toBytes(), null);
        } catch (ClassFileException e) {
            return new Result(null, "[" + e.getMessage() + "]");
        }
    }

    /** The method with this name and descriptor, or null. */
    static ClassFile.Method method(ClassFile cf, String name, String descriptor) {
        for (ClassFile.Method m : cf.methods()) {
            if (m.name.equals(name) && m.descriptor.equals(descriptor)) {
                return m;
            }
        }
        return null;
    }

    /** Checks that the inserted code's fields exist with the expected types. */
    static void requireFields(List<String> problems, Map<String, String> fields, String... namesAndDescriptors) {
        for (int i = 0; i + 1 < namesAndDescriptors.length; i += 2) {
            if (!namesAndDescriptors[i + 1].equals(fields.get(namesAndDescriptors[i]))) {
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
