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
 * jdk.internal.net.http.MultiExchange (JDK 11 to 25): its constructor runs on the caller's
 * thread, the only place where the application frame of an HttpClient call is on the stack (the
 * hops run on the client's executor). The bridge is told which request started there.
 */
final class JdkMultiExchangeRewrite extends ClassRewrite {
    static final String NAME = "jdk/internal/net/http/MultiExchange";
    private static final String REQUEST = "Ljdk/internal/net/http/HttpRequestImpl;";

    @Override
    String className() {
        return NAME;
    }

    @Override
    Map<String, String> requiredFields() {
        return Collections.singletonMap("request", REQUEST);
    }

    @Override
    boolean targets(String name, String descriptor) {
        return name.equals("<init>");
    }

    @Override
    void checkComplete(Set<String> rewritten) throws ShapeMismatch {
        if (rewritten.isEmpty()) {
            throw new ShapeMismatch("no constructor");
        }
    }

    @Override
    int rewrite(MethodNode m) throws ShapeMismatch {
        int returns = 0;
        for (AbstractInsnNode insn : m.instructions.toArray()) {
            if (insn.getOpcode() == Opcodes.RETURN) {
                InsnList call = new InsnList();
                call.add(new VarInsnNode(Opcodes.ALOAD, 0));
                call.add(new FieldInsnNode(Opcodes.GETFIELD, NAME, "request", REQUEST));
                call.add(new MethodInsnNode(Opcodes.INVOKESTATIC, BRIDGE, "hcExchangeStarted",
                        "(Ljava/lang/Object;)V", false));
                m.instructions.insertBefore(insn, call);
                returns++;
            }
        }
        expectAtLeastOne("return in the constructor", returns);
        return 1;
    }
}
