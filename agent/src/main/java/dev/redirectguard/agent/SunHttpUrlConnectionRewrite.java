package dev.redirectguard.agent;

import org.objectweb.asm.Opcodes;
import org.objectweb.asm.tree.AbstractInsnNode;
import org.objectweb.asm.tree.FieldInsnNode;
import org.objectweb.asm.tree.InsnList;
import org.objectweb.asm.tree.InsnNode;
import org.objectweb.asm.tree.IntInsnNode;
import org.objectweb.asm.tree.LdcInsnNode;
import org.objectweb.asm.tree.MethodInsnNode;
import org.objectweb.asm.tree.MethodNode;
import org.objectweb.asm.tree.VarInsnNode;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * sun.net.www.protocol.http.HttpURLConnection (JDK 8 to 25; HttpsURLConnection delegates to it).
 *
 * <p>followRedirect(): its status gate {@code stat > 307} returns 308 to the caller; the constant
 * becomes a bridge call that answers 307 for anything but a 308 the rules want followed.
 *
 * <p>followRedirect0(String loc, int stat, URL locUrl), the hop itself:
 * <ol>
 * <li>after {@code streaming()}: the bridge sees the hop first and decides whether a streamed
 * body still throws HttpRetryException;
 * <li>{@code method.equals("POST")} and {@code Boolean.getBoolean("http.strictPostRedirect")}:
 * the bridge decides whether the existing POST-to-GET branch runs (it empties the headers, sets
 * GET and drops the buffered body);
 * <li>after that branch's {@code super.setRequestMethod("GET")}: the streaming lengths are reset,
 * so a GET that follows a streamed POST sends no Content-Length or chunked encoding;
 * <li>before {@code return true}: the bridge gets the new request headers and the caller's own.
 * </ol>
 * Advice could not reach 1 to 3: they are conditions in the middle of the methods.
 */
final class SunHttpUrlConnectionRewrite extends ClassRewrite {
    static final String NAME = "sun/net/www/protocol/http/HttpURLConnection";
    private static final String FOLLOW = "followRedirect()Z";
    private static final String HOP = "followRedirect0(Ljava/lang/String;ILjava/net/URL;)Z";
    private static final String SUPER = "java/net/HttpURLConnection";
    private static final String MESSAGE_HEADER = "Lsun/net/www/MessageHeader;";

    @Override
    String className() {
        return NAME;
    }

    @Override
    Map<String, String> requiredFields() {
        Map<String, String> f = new LinkedHashMap<String, String>();
        f.put("requests", MESSAGE_HEADER);
        f.put("userHeaders", MESSAGE_HEADER);
        f.put("poster", "Lsun/net/www/http/PosterOutputStream;");
        return f;
    }

    @Override
    boolean targets(String name, String descriptor) {
        String key = name + descriptor;
        return key.equals(FOLLOW) || key.equals(HOP);
    }

    @Override
    void checkComplete(Set<String> rewritten) throws ShapeMismatch {
        if (!rewritten.contains(FOLLOW) || !rewritten.contains(HOP)) {
            throw new ShapeMismatch("followRedirect()Z and followRedirect0(String,int,URL)Z both needed, rewrote "
                    + rewritten);
        }
    }

    @Override
    int rewrite(MethodNode m) throws ShapeMismatch {
        return (m.name + m.desc).equals(FOLLOW) ? rewriteFollow(m) : rewriteHop(m);
    }

    private int rewriteFollow(MethodNode m) throws ShapeMismatch {
        AbstractInsnNode gate = null;
        int found = 0;
        for (AbstractInsnNode insn : m.instructions.toArray()) {
            if (insn.getOpcode() == Opcodes.SIPUSH && ((IntInsnNode) insn).operand == 307
                    && nextReal(insn) != null && nextReal(insn).getOpcode() == Opcodes.IF_ICMPGT) {
                gate = insn;
                found++;
            }
        }
        expectCount("sipush 307; if_icmpgt", found, 1);
        InsnList call = new InsnList();
        call.add(new InsnNode(Opcodes.DUP));
        call.add(new VarInsnNode(Opcodes.ALOAD, 0));
        call.add(new MethodInsnNode(Opcodes.INVOKESTATIC, BRIDGE, "hucFollowCeiling", "(ILjava/lang/Object;)I", false));
        m.instructions.insert(gate, call);
        m.instructions.remove(gate);
        return 2;
    }

    private int rewriteHop(MethodNode m) throws ShapeMismatch {
        int streaming = 0;
        int post = 0;
        int strict = 0;
        int setGet = 0;
        int returns = 0;
        for (AbstractInsnNode insn : m.instructions.toArray()) {
            if (isCall(insn, Opcodes.INVOKEVIRTUAL, NAME, "streaming", "()Z")) {
                InsnList hop = new InsnList();
                hop.add(new VarInsnNode(Opcodes.ALOAD, 0));
                hop.add(new VarInsnNode(Opcodes.ILOAD, 2));
                hop.add(new VarInsnNode(Opcodes.ALOAD, 3));
                hop.add(field(Opcodes.GETFIELD, "poster", "Lsun/net/www/http/PosterOutputStream;"));
                hop.add(field(Opcodes.GETFIELD, "userHeaders", MESSAGE_HEADER));
                hop.add(new MethodInsnNode(Opcodes.INVOKESTATIC, BRIDGE, "hucHop",
                        "(ZLjava/lang/Object;ILjava/net/URL;Ljava/lang/Object;Ljava/lang/Object;)Z", false));
                m.instructions.insert(insn, hop);
                streaming++;
            } else if (insn instanceof LdcInsnNode && "POST".equals(((LdcInsnNode) insn).cst)
                    && isCall(nextReal(insn), Opcodes.INVOKEVIRTUAL, "java/lang/String", "equals",
                    "(Ljava/lang/Object;)Z")
                    && isField(previousReal(insn), "method", "Ljava/lang/String;")) {
                AbstractInsnNode equals = nextReal(insn);
                m.instructions.set(insn, new VarInsnNode(Opcodes.ILOAD, 2));
                m.instructions.set(equals, new MethodInsnNode(Opcodes.INVOKESTATIC, BRIDGE, "hucSwitchToGet",
                        "(Ljava/lang/String;I)Z", false));
                post++;
            } else if (isCall(insn, Opcodes.INVOKESTATIC, "java/lang/Boolean", "getBoolean", "(Ljava/lang/String;)Z")
                    && previousReal(insn) instanceof LdcInsnNode
                    && "http.strictPostRedirect".equals(((LdcInsnNode) previousReal(insn)).cst)) {
                m.instructions.set(insn, new MethodInsnNode(Opcodes.INVOKESTATIC, BRIDGE, "hucStrictPostRedirect",
                        "(Ljava/lang/String;)Z", false));
                strict++;
            } else if (isCall(insn, Opcodes.INVOKESPECIAL, SUPER, "setRequestMethod", "(Ljava/lang/String;)V")) {
                InsnList reset = new InsnList();
                reset.add(new VarInsnNode(Opcodes.ALOAD, 0));
                reset.add(new InsnNode(Opcodes.ICONST_M1));
                reset.add(new FieldInsnNode(Opcodes.PUTFIELD, SUPER, "fixedContentLength", "I"));
                reset.add(new VarInsnNode(Opcodes.ALOAD, 0));
                reset.add(new LdcInsnNode(-1L));
                reset.add(new FieldInsnNode(Opcodes.PUTFIELD, SUPER, "fixedContentLengthLong", "J"));
                reset.add(new VarInsnNode(Opcodes.ALOAD, 0));
                reset.add(new InsnNode(Opcodes.ICONST_M1));
                reset.add(new FieldInsnNode(Opcodes.PUTFIELD, SUPER, "chunkLength", "I"));
                m.instructions.insert(insn, reset);
                setGet++;
            } else if (insn.getOpcode() == Opcodes.IRETURN && previousReal(insn) != null
                    && previousReal(insn).getOpcode() == Opcodes.ICONST_1) {
                InsnList followed = new InsnList();
                followed.add(new VarInsnNode(Opcodes.ALOAD, 0));
                followed.add(new FieldInsnNode(Opcodes.GETFIELD, NAME, "requests", MESSAGE_HEADER));
                followed.add(new VarInsnNode(Opcodes.ALOAD, 0));
                followed.add(new FieldInsnNode(Opcodes.GETFIELD, NAME, "userHeaders", MESSAGE_HEADER));
                followed.add(new MethodInsnNode(Opcodes.INVOKESTATIC, BRIDGE, "hucFollowed",
                        "(Ljava/lang/Object;Ljava/lang/Object;)V", false));
                m.instructions.insertBefore(insn, followed);
                returns++;
            }
        }
        expectCount("streaming() call", streaming, 1);
        expectCount("method.equals(\"POST\")", post, 1);
        expectCount("Boolean.getBoolean(\"http.strictPostRedirect\")", strict, 1);
        expectCount("super.setRequestMethod(String)", setGet, 1);
        expectAtLeastOne("return true", returns);
        return 6;
    }

    /** aload_0; getfield NAME.name (two instructions, in a list). */
    private static InsnList field(int opcode, String name, String descriptor) {
        InsnList l = new InsnList();
        l.add(new VarInsnNode(Opcodes.ALOAD, 0));
        l.add(new FieldInsnNode(opcode, NAME, name, descriptor));
        return l;
    }

    static boolean isCall(AbstractInsnNode insn, int opcode, String owner, String name, String descriptor) {
        if (!(insn instanceof MethodInsnNode) || insn.getOpcode() != opcode) {
            return false;
        }
        MethodInsnNode call = (MethodInsnNode) insn;
        return call.owner.equals(owner) && call.name.equals(name) && call.desc.equals(descriptor);
    }

    private static boolean isField(AbstractInsnNode insn, String name, String descriptor) {
        return insn instanceof FieldInsnNode && insn.getOpcode() == Opcodes.GETFIELD
                && ((FieldInsnNode) insn).name.equals(name) && ((FieldInsnNode) insn).desc.equals(descriptor);
    }
}
