package dev.redirectguard.agent;

import dev.redirectguard.classfile.Bytecode;
import dev.redirectguard.classfile.ClassFile;
import dev.redirectguard.classfile.ClassFileException;
import dev.redirectguard.classfile.CodeEditor;
import dev.redirectguard.classfile.Op;

import java.util.ArrayList;
import java.util.List;

/**
 * jdk.internal.net.http.MultiExchange (JDK 11 to 25): its constructor runs on the caller's
 * thread, the only place where the application frame of an HttpClient call is on the stack (the
 * hops run on the client's executor). The bridge is told which request started there.
 */
final class JdkMultiExchangeRewrite implements ClassRewrite {
    static final String NAME = "jdk/internal/net/http/MultiExchange";
    private static final String REQUEST = "Ljdk/internal/net/http/HttpRequestImpl;";

    @Override
    public void edit(ClassFile cf, List<String> problems) throws ClassFileException {
        ClassRewrite.requireFields(problems, cf, "request", REQUEST);
        List<CodeEditor> edited = new ArrayList<CodeEditor>();
        int returns = 0;
        for (ClassFile.Method m : cf.methods()) {
            if (!m.isLike("<init>", "(")) {
                continue;
            }
            CodeEditor e = new CodeEditor(cf, m);
            returns += ClassRewrite.beforeEach(e, Op.RETURN, new ClassRewrite.FragmentFactory() {
                @Override
                public Bytecode create(CodeEditor editor) {
                    return editor.bytecode().aload(0).getField(NAME, "request", REQUEST)
                            .invokeStatic(BRIDGE, "hcExchangeStarted", "(Ljava/lang/Object;)V");
                }
            });
            edited.add(e);
        }
        ClassRewrite.expectSome(problems, "MultiExchange.<init>", "return", returns);
        if (problems.isEmpty()) {
            for (CodeEditor e : edited) {
                e.apply();
            }
        }
    }
}
