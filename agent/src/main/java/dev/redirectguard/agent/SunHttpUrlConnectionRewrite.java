package dev.redirectguard.agent;

import dev.redirectguard.classfile.ClassFile;
import dev.redirectguard.classfile.ClassFileException;
import dev.redirectguard.classfile.CodeEditor;
import dev.redirectguard.classfile.Op;

import java.util.List;

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
 * Method advice could not reach 1 to 3: they are conditions in the middle of the methods.
 */
final class SunHttpUrlConnectionRewrite implements ClassRewrite {
    static final String NAME = "sun/net/www/protocol/http/HttpURLConnection";
    private static final String SUPER = "java/net/HttpURLConnection";
    private static final String MESSAGE_HEADER = "Lsun/net/www/MessageHeader;";
    private static final String POSTER = "Lsun/net/www/http/PosterOutputStream;";

    @Override
    public void edit(ClassFile cf, List<String> problems) throws ClassFileException {
        ClassRewrite.requireFields(problems, cf, "requests", MESSAGE_HEADER, "userHeaders", MESSAGE_HEADER, "poster",
                POSTER);
        ClassFile.Method follow = ClassRewrite.method(cf, "followRedirect", "()Z");
        ClassFile.Method hop = ClassRewrite.method(cf, "followRedirect0", "(Ljava/lang/String;ILjava/net/URL;)Z");
        if (follow == null || hop == null) {
            problems.add("followRedirect()Z and followRedirect0(String,int,URL)Z both needed");
            return;
        }
        editFollow(new CodeEditor(cf, follow), problems);
        editHop(new CodeEditor(cf, hop), problems);
    }

    /** {@code sipush 307; if_icmpgt} becomes {@code dup; aload_0; invokestatic hucFollowCeiling; if_icmpgt}. */
    private static void editFollow(CodeEditor e, List<String> problems) throws ClassFileException {
        int gates = 0;
        for (CodeEditor.Insn insn : e.instructions()) {
            if (insn.opcode == Op.SIPUSH && insn.intOperand() == 307 && insn.next() != null
                    && insn.next().opcode == Op.IF_ICMPGT) {
                e.replace(insn, e.bytecode().dup().aload(0)
                        .invokeStatic(BRIDGE, "hucFollowCeiling", "(ILjava/lang/Object;)I"));
                gates++;
            }
        }
        ClassRewrite.expect(problems, "followRedirect", "sipush 307; if_icmpgt", gates, 1);
        if (problems.isEmpty()) {
            e.apply();
        }
    }

    private static void editHop(CodeEditor e, List<String> problems) throws ClassFileException {
        int streaming = 0;
        int post = 0;
        int strict = 0;
        int setGet = 0;
        int returns = 0;
        for (CodeEditor.Insn insn : e.instructions()) {
            CodeEditor.Insn next = insn.next();
            if (insn.is(Op.INVOKEVIRTUAL, NAME, "streaming", "()Z")) {
                e.insertAfter(insn, e.bytecode().aload(0).iload(2).aload(3)
                        .aload(0).getField(NAME, "poster", POSTER)
                        .aload(0).getField(NAME, "userHeaders", MESSAGE_HEADER)
                        .invokeStatic(BRIDGE, "hucHop",
                                "(ZLjava/lang/Object;ILjava/net/URL;Ljava/lang/Object;Ljava/lang/Object;)Z"));
                streaming++;
            } else if ("POST".equals(insn.stringConstant()) && next != null
                    && next.is(Op.INVOKEVIRTUAL, "java/lang/String", "equals", "(Ljava/lang/Object;)Z")
                    && insn.previous() != null && insn.previous().is(Op.GETFIELD, null, "method", "Ljava/lang/String;")) {
                // method.equals("POST") becomes hucSwitchToGet(method, stat)
                e.replace(insn, e.bytecode().iload(2));
                e.replace(next, e.bytecode().invokeStatic(BRIDGE, "hucSwitchToGet", "(Ljava/lang/String;I)Z"));
                post++;
            } else if ("http.strictPostRedirect".equals(insn.stringConstant()) && next != null
                    && next.is(Op.INVOKESTATIC, "java/lang/Boolean", "getBoolean", "(Ljava/lang/String;)Z")) {
                e.replace(next, e.bytecode().invokeStatic(BRIDGE, "hucStrictPostRedirect", "(Ljava/lang/String;)Z"));
                strict++;
            } else if (insn.is(Op.INVOKESPECIAL, SUPER, "setRequestMethod", "(Ljava/lang/String;)V")) {
                e.insertAfter(insn, e.bytecode()
                        .aload(0).iconstM1().putField(SUPER, "fixedContentLength", "I")
                        .aload(0).iconstM1().i2l().putField(SUPER, "fixedContentLengthLong", "J")
                        .aload(0).iconstM1().putField(SUPER, "chunkLength", "I"));
                setGet++;
            } else if (insn.opcode == Op.ICONST_1 && next != null && next.opcode == Op.IRETURN) {
                e.insertBefore(next, e.bytecode()
                        .aload(0).getField(NAME, "requests", MESSAGE_HEADER)
                        .aload(0).getField(NAME, "userHeaders", MESSAGE_HEADER)
                        .invokeStatic(BRIDGE, "hucFollowed", "(Ljava/lang/Object;Ljava/lang/Object;)V"));
                returns++;
            }
        }
        ClassRewrite.expect(problems, "followRedirect0", "streaming() call", streaming, 1);
        ClassRewrite.expect(problems, "followRedirect0", "method.equals(\"POST\")", post, 1);
        ClassRewrite.expect(problems, "followRedirect0", "Boolean.getBoolean(\"http.strictPostRedirect\")", strict, 1);
        ClassRewrite.expect(problems, "followRedirect0", "super.setRequestMethod(String)", setGet, 1);
        ClassRewrite.expectSome(problems, "followRedirect0", "return true", returns);
        if (problems.isEmpty()) {
            e.apply();
        }
    }
}
