package dev.redirectguard.classfile;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.lang.reflect.Method;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Edits a real class (compiled for Java 17, so the JVM checks its stack map frames strictly) and
 * runs it: the edited methods must return what the originals return, and the inserted code must
 * run exactly where it was put.
 */
class CodeEditorTest {
    private static final String PROBE = "dev/redirectguard/classfile/Probe";

    @BeforeEach
    void reset() {
        Probe.hits = 0;
        Probe.finallies = 0;
    }

    static byte[] fixtureBytes() throws Exception {
        try (InputStream in = Fixture.class.getResourceAsStream("Fixture.class")) {
            return in.readAllBytes();
        }
    }

    /** Inserts a Probe.hit() call before every instruction of every method, and replaces sipush 307. */
    static byte[] everywhere(byte[] original) throws Exception {
        ClassFile cf = new ClassFile(original);
        for (ClassFile.Method m : cf.methods()) {
            if (!m.hasCode()) {
                continue;
            }
            CodeEditor e = new CodeEditor(cf, m);
            for (CodeEditor.Insn insn : e.instructions()) {
                e.insertBefore(insn, e.bytecode().invokeStatic(PROBE, "hit", "()V"));
                if (insn.opcode == Op.SIPUSH && insn.intOperand() == 307 && insn.next().opcode == Op.IF_ICMPGT) {
                    e.replace(insn, e.bytecode().dup().invokeStatic(PROBE, "ceiling", "(I)I"));
                }
            }
            e.apply();
        }
        return cf.toBytes();
    }

    static Class<?> define(byte[] bytes) throws Exception {
        ClassLoader loader = new ClassLoader(CodeEditorTest.class.getClassLoader()) {
            @Override
            protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                if (name.equals(Fixture.class.getName())) {
                    synchronized (this) {
                        Class<?> c = findLoadedClass(name);
                        return c != null ? c : defineClass(name, bytes, 0, bytes.length);
                    }
                }
                return super.loadClass(name, resolve);
            }
        };
        return Class.forName(Fixture.class.getName(), true, loader);
    }

    static Object call(Class<?> c, String name, Class<?> type, Object arg) throws Exception {
        Method m = c.getMethod(name, type);
        return m.invoke(null, arg);
    }

    @Test
    void editedMethodsBehaveAsBeforeWithTheInsertedCodeRunning() throws Exception {
        Class<?> edited = define(everywhere(fixtureBytes()));
        for (int k = -2; k < 6; k++) {
            assertEquals(Fixture.dense(k), call(edited, "dense", int.class, k));
        }
        for (int k : new int[] {-100000, 7, 300, 100000, 5}) {
            assertEquals(Fixture.sparse(k), call(edited, "sparse", int.class, k));
        }
        assertEquals(Fixture.loop(50), call(edited, "loop", int.class, 50));
        assertEquals("lo", call(edited, "handler", String.class, "hello"));
        assertEquals("short", call(edited, "handler", String.class, "hi"));
        assertEquals(2, Probe.finallies);
        assertEquals("yes307", call(edited, "uninitialized", boolean.class, true));
        assertEquals("no308", call(edited, "uninitialized", boolean.class, false));
        assertTrue(Probe.hits > 100, "inserted calls ran: " + Probe.hits);
    }

    @Test
    void replacedConstantChangesTheGate() throws Exception {
        Class<?> edited = define(everywhere(fixtureBytes()));
        assertEquals(0, Fixture.gate(308));
        assertEquals(1, call(edited, "gate", int.class, 308)); // the ceiling now admits 308
        assertEquals(1, call(edited, "gate", int.class, 307));
        assertEquals(0, call(edited, "gate", int.class, 309));
        assertEquals(0, call(edited, "gate", int.class, 306));
        assertEquals(0, call(edited, "gate", int.class, 200));
    }

    @Test
    void unchangedClassIsReproducedByteForByte() throws Exception {
        byte[] original = fixtureBytes();
        assertEquals(java.util.Arrays.toString(original), java.util.Arrays.toString(new ClassFile(original).toBytes()));
    }

    @Test
    void constantsAreAddedOnceAndExistingIndexesStay() throws Exception {
        byte[] original = fixtureBytes();
        ClassFile cf = new ClassFile(original);
        int a = cf.addMemberRef(ClassFile.METHODREF, PROBE, "hit", "()V");
        int b = cf.addMemberRef(ClassFile.METHODREF, PROBE, "hit", "()V");
        assertEquals(a, b);
        byte[] grown = cf.toBytes();
        ClassFile again = new ClassFile(grown);
        assertEquals(new ClassFile(original).methods().size(), again.methods().size());
        assertEquals(PROBE + ".hit()V", String.join("", again.memberRef(a)[0], ".", again.memberRef(a)[1],
                again.memberRef(a)[2]));
    }

    @Test
    void notAClassFileIsRefused() {
        assertThrows(ClassFileException.class, () -> new ClassFile(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10}));
        assertThrows(ClassFileException.class, () -> new ClassFile(new byte[] {(byte) 0xCA, (byte) 0xFE}));
    }
}
