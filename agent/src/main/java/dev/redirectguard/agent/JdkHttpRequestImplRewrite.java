package dev.redirectguard.agent;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.TypeInsnNode;
import org.objectweb.asm.tree.VarInsnNode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * jdk.internal.net.http.HttpRequestImpl (JDK 11 to 25): the private constructor that builds the
 * request of a redirect hop, {@code (URI uri, String method, HttpRequestImpl other, ...)}. Only
 * the variant that calls {@code super()} is rewritten (21 and 25 chain a 4-argument one to a
 * 5-argument one), so the hook runs once per hop. Before it returns, the bridge may replace
 * {@code userHeaders} and {@code requestPublisher}: final fields, which only a constructor of
 * this class may write.
 */
final class JdkHttpRequestImplRewrite extends ClassRewrite {
    static final String NAME = "jdk/internal/net/http/HttpRequestImpl";
    private static final String PREFIX = "(Ljava/net/URI;Ljava/lang/String;L" + NAME + ";";
    private static final String HEADERS = "Ljava/net/http/HttpHeaders;";
    private static final String PUBLISHER = "Ljava/net/http/HttpRequest$BodyPublisher;";

    @Override
    String className() {
        return NAME;
    }

    @Override
    Map<String, String> requiredFields() {
        Map<String, String> f = new LinkedHashMap<String, String>();
        f.put("userHeaders", HEADERS);
        f.put("requestPublisher", PUBLISHER);
        f.put("uri", "Ljava/net/URI;");
        f.put("method", "Ljava/lang/String;");
        return f;
    }

    @Override
    boolean targets(String name, String descriptor) {
        return name.equals("<init>") && descriptor.startsWith(PREFIX);
    }

    @Override
    void checkComplete(Set<String> rewritten) throws ShapeMismatch {
        if (rewritten.isEmpty()) {
            throw new ShapeMismatch("no constructor " + PREFIX + "...)");
        }
    }

    @Override
    int rewrite(MethodNode m) throws ShapeMismatch {
        if (!callsSuper(m)) {
            return 0; // delegates to the constructor that does the work
        }
        int returns = 0;
        for (AbstractInsnNode insn : m.instructions.toArray()) {
            if (insn.getOpcode() != Opcodes.RETURN) {
                continue;
            }
            InsnList fix = new InsnList();
            fix.add(new VarInsnNode(Opcodes.ALOAD, 0));
            fix.add(new VarInsnNode(Opcodes.ALOAD, 0));
            fix.add(new VarInsnNode(Opcodes.ALOAD, 3));
            fix.add(get(0, "userHeaders", HEADERS));
            fix.add(get(3, "userHeaders", HEADERS));
            fix.add(get(0, "requestPublisher", PUBLISHER));
            fix.add(get(3, "requestPublisher", PUBLISHER));
            fix.add(get(3, "uri", "Ljava/net/URI;"));
            fix.add(get(0, "uri", "Ljava/net/URI;"));
            fix.add(get(3, "method", "Ljava/lang/String;"));
            fix.add(get(0, "method", "Ljava/lang/String;"));
            fix.add(new MethodInsnNode(Opcodes.INVOKESTATIC, BRIDGE, "hcRedirectHeaders",
                    "(Ljava/lang/Object;Ljava/lang/Object;Ljava/lang/Object;Ljava/lang/Object;Ljava/lang/Object;"
                            + "Ljava/lang/Object;Ljava/net/URI;Ljava/net/URI;Ljava/lang/String;Ljava/lang/String;)"
                            + "Ljava/lang/Object;", false));
            fix.add(new TypeInsnNode(Opcodes.CHECKCAST, "java/net/http/HttpHeaders"));
            fix.add(new FieldInsnNode(Opcodes.PUTFIELD, NAME, "userHeaders", HEADERS));
            fix.add(new VarInsnNode(Opcodes.ALOAD, 0));
            fix.add(get(0, "requestPublisher", PUBLISHER));
            fix.add(new MethodInsnNode(Opcodes.INVOKESTATIC, BRIDGE, "hcRedirectPublisher",
                    "(Ljava/lang/Object;)Ljava/lang/Object;", false));
            fix.add(new TypeInsnNode(Opcodes.CHECKCAST, "java/net/http/HttpRequest$BodyPublisher"));
            fix.add(new FieldInsnNode(Opcodes.PUTFIELD, NAME, "requestPublisher", PUBLISHER));
            m.instructions.insertBefore(insn, fix);
            returns++;
        }
        expectAtLeastOne("return in the redirect constructor", returns);
        return 12;
    }

    private static boolean callsSuper(MethodNode m) {
        for (AbstractInsnNode insn : m.instructions.toArray()) {
            if (insn.getOpcode() == Opcodes.INVOKESPECIAL && ((MethodInsnNode) insn).name.equals("<init>")
                    && ((MethodInsnNode) insn).owner.equals("java/net/http/HttpRequest")) {
                return true;
            }
        }
        return false;
    }

    private static InsnList get(int local, String field, String descriptor) {
        InsnList l = new InsnList();
        l.add(new VarInsnNode(Opcodes.ALOAD, local));
        l.add(new FieldInsnNode(Opcodes.GETFIELD, NAME, field, descriptor));
        return l;
    }
}
