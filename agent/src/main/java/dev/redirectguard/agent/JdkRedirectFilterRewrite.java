package dev.redirectguard.agent;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;

import java.util.Collections;
import java.util.Map;
import java.util.Set;

/**
 * jdk.internal.net.http.RedirectFilter (JDK 11 to 25): the method a hop uses
 * ({@code redirectedMethod(int, String)}, whose answer the bridge may replace) and whether it is
 * followed at all ({@code canRedirect}, where https to http is refused even under
 * Redirect.ALWAYS). canRedirect compares the filter's {@code uri} with its argument in 11, 17 and
 * 25, and takes both URIs as arguments in 21.
 */
final class JdkRedirectFilterRewrite extends ClassRewrite {
    static final String NAME = "jdk/internal/net/http/RedirectFilter";
    private static final String METHOD = "redirectedMethod(ILjava/lang/String;)Ljava/lang/String;";
    private static final String CAN_ONE = "canRedirect(Ljava/net/URI;)Z";
    private static final String CAN_THREE = "canRedirect(Ljava/net/URI;Ljava/net/URI;Ljava/net/http/HttpClient$Redirect;)Z";

    @Override
    String className() {
        return NAME;
    }

    @Override
    Map<String, String> requiredFields() {
        return Collections.emptyMap();
    }

    @Override
    boolean targets(String name, String descriptor) {
        String key = name + descriptor;
        return key.equals(METHOD) || key.equals(CAN_ONE) || key.equals(CAN_THREE);
    }

    @Override
    void checkComplete(Set<String> rewritten) throws ShapeMismatch {
        if (!rewritten.contains(METHOD) || !(rewritten.contains(CAN_ONE) || rewritten.contains(CAN_THREE))) {
            throw new ShapeMismatch("redirectedMethod and canRedirect both needed, rewrote " + rewritten);
        }
    }

    @Override
    int rewrite(MethodNode m) throws ShapeMismatch {
        boolean isStatic = (m.access & Opcodes.ACC_STATIC) != 0;
        int returns = 0;
        for (AbstractInsnNode insn : m.instructions.toArray()) {
            InsnList call = new InsnList();
            if ((m.name + m.desc).equals(METHOD) && insn.getOpcode() == Opcodes.ARETURN) {
                if (!isStatic) {
                    throw new ShapeMismatch("redirectedMethod is not static");
                }
                call.add(new VarInsnNode(Opcodes.ILOAD, 0));
                call.add(new VarInsnNode(Opcodes.ALOAD, 1));
                call.add(new MethodInsnNode(Opcodes.INVOKESTATIC, BRIDGE, "hcRedirectedMethod",
                        "(Ljava/lang/String;ILjava/lang/String;)Ljava/lang/String;", false));
            } else if (!(m.name + m.desc).equals(METHOD) && insn.getOpcode() == Opcodes.IRETURN) {
                if (isStatic) {
                    throw new ShapeMismatch("canRedirect is static");
                }
                if (m.desc.equals("(Ljava/net/URI;)Z")) {
                    call.add(new VarInsnNode(Opcodes.ALOAD, 0));
                    call.add(new FieldInsnNode(Opcodes.GETFIELD, NAME, "uri", "Ljava/net/URI;"));
                    call.add(new VarInsnNode(Opcodes.ALOAD, 1));
                } else {
                    call.add(new VarInsnNode(Opcodes.ALOAD, 1));
                    call.add(new VarInsnNode(Opcodes.ALOAD, 2));
                }
                call.add(new MethodInsnNode(Opcodes.INVOKESTATIC, BRIDGE, "hcCanRedirect",
                        "(ZLjava/net/URI;Ljava/net/URI;)Z", false));
            } else {
                continue;
            }
            m.instructions.insertBefore(insn, call);
            returns++;
        }
        expectAtLeastOne("return in " + m.name, returns);
        return 2;
    }
}
