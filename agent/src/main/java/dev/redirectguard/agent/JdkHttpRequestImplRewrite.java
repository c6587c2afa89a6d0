package dev.redirectguard.agent;

import dev.redirectguard.classfile.Bytecode;
import dev.redirectguard.classfile.ClassFile;
import dev.redirectguard.classfile.ClassFileException;
import dev.redirectguard.classfile.CodeEditor;
import dev.redirectguard.classfile.Op;

import java.util.ArrayList;
import java.util.List;

/**
 * jdk.internal.net.http.HttpRequestImpl (JDK 11 to 25): the private constructor that builds the
 * request of a redirect hop, {@code (URI uri, String method, HttpRequestImpl other, ...)}. Only
 * the variant that calls {@code super()} is rewritten (21 and 25 chain a 4-argument constructor to
 * a 5-argument one), so the hook runs once per hop. There the bridge may replace
 * {@code userHeaders} and {@code requestPublisher}: final fields, which only a constructor of this
 * class may write.
 */
final class JdkHttpRequestImplRewrite implements ClassRewrite {
    static final String NAME = "jdk/internal/net/http/HttpRequestImpl";
    private static final String PREFIX = "(Ljava/net/URI;Ljava/lang/String;L" + NAME + ";";
    private static final String HEADERS = "Ljava/net/http/HttpHeaders;";
    private static final String PUBLISHER = "Ljava/net/http/HttpRequest$BodyPublisher;";
    private static final String URI = "Ljava/net/URI;";
    private static final String STRING = "Ljava/lang/String;";

    @Override
    public void edit(ClassFile cf, List<String> problems) throws ClassFileException {
        ClassRewrite.requireFields(problems, cf, "userHeaders", HEADERS, "requestPublisher", PUBLISHER, "uri", URI,
                "method", STRING);
        List<CodeEditor> edited = new ArrayList<CodeEditor>();
        for (ClassFile.Method m : cf.methods()) {
            if (!m.isLike("<init>", PREFIX)) {
                continue;
            }
            CodeEditor e = new CodeEditor(cf, m);
            if (!callsSuper(e)) {
                continue;
            }
            int n = ClassRewrite.beforeEach(e, Op.RETURN, new ClassRewrite.FragmentFactory() {
                @Override
                public Bytecode create(CodeEditor editor) {
                    return fixUp(editor.bytecode());
                }
            });
            ClassRewrite.expectSome(problems, "<init>" + m.descriptor(), "return", n);
            edited.add(e);
        }
        ClassRewrite.expect(problems, "HttpRequestImpl", "redirect constructor calling super()", edited.size(), 1);
        if (problems.isEmpty()) {
            for (CodeEditor e : edited) {
                e.apply();
            }
        }
    }

    private static boolean callsSuper(CodeEditor e) {
        for (CodeEditor.Insn insn : e.instructions()) {
            if (insn.is(Op.INVOKESPECIAL, "java/net/http/HttpRequest", "<init>", "()V")) {
                return true;
            }
        }
        return false;
    }

    /** this.userHeaders = bridge(...); this.requestPublisher = bridge(this.requestPublisher). */
    private static Bytecode fixUp(Bytecode b) {
        b.aload(0).aload(0).aload(3);
        get(b, 0, "userHeaders", HEADERS);
        get(b, 3, "userHeaders", HEADERS);
        get(b, 0, "requestPublisher", PUBLISHER);
        get(b, 3, "requestPublisher", PUBLISHER);
        get(b, 3, "uri", URI);
        get(b, 0, "uri", URI);
        get(b, 3, "method", STRING);
        get(b, 0, "method", STRING);
        b.invokeStatic(BRIDGE, "hcRedirectHeaders", "(Ljava/lang/Object;Ljava/lang/Object;Ljava/lang/Object;"
                + "Ljava/lang/Object;Ljava/lang/Object;Ljava/lang/Object;Ljava/net/URI;Ljava/net/URI;"
                + "Ljava/lang/String;Ljava/lang/String;)Ljava/lang/Object;");
        b.checkCast("java/net/http/HttpHeaders").putField(NAME, "userHeaders", HEADERS);
        b.aload(0);
        get(b, 0, "requestPublisher", PUBLISHER);
        b.invokeStatic(BRIDGE, "hcRedirectPublisher", "(Ljava/lang/Object;)Ljava/lang/Object;");
        return b.checkCast("java/net/http/HttpRequest$BodyPublisher").putField(NAME, "requestPublisher", PUBLISHER);
    }

    private static void get(Bytecode b, int local, String field, String descriptor) {
        b.aload(local).getField(NAME, field, descriptor);
    }
}
