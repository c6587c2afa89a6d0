package dev.redirectguard.agent;

import dev.redirectguard.classfile.Bytecode;
import dev.redirectguard.classfile.ClassFile;
import dev.redirectguard.classfile.ClassFileException;
import dev.redirectguard.classfile.CodeEditor;
import dev.redirectguard.classfile.Op;

import java.util.List;

/**
 * jdk.internal.net.http.RedirectFilter (JDK 11 to 25): the method a hop uses
 * ({@code static redirectedMethod(int, String)}, whose answer the bridge may replace) and whether
 * it is followed at all ({@code canRedirect}, where https to http is refused even under
 * Redirect.ALWAYS). canRedirect compares the filter's {@code uri} with its argument in 11, 17 and
 * 25, and takes both URIs as arguments in 21.
 */
final class JdkRedirectFilterRewrite implements ClassRewrite {
    static final String NAME = "jdk/internal/net/http/RedirectFilter";
    private static final int ACC_STATIC = 0x0008;

    @Override
    public void edit(ClassFile cf, List<String> problems) throws ClassFileException {
        ClassFile.Method redirected = ClassRewrite.method(cf, "redirectedMethod", "(ILjava/lang/String;)Ljava/lang/String;");
        ClassFile.Method canOne = ClassRewrite.method(cf, "canRedirect", "(Ljava/net/URI;)Z");
        ClassFile.Method canThree = ClassRewrite.method(cf, "canRedirect",
                "(Ljava/net/URI;Ljava/net/URI;Ljava/net/http/HttpClient$Redirect;)Z");
        ClassFile.Method can = canOne != null ? canOne : canThree;
        if (redirected == null || (redirected.access & ACC_STATIC) == 0 || can == null
                || (can.access & ACC_STATIC) != 0) {
            problems.add("static redirectedMethod(int,String) and canRedirect(URI[,URI,Redirect]) both needed");
            return;
        }
        if (canOne != null) {
            ClassRewrite.requireFields(problems, cf, "uri", "Ljava/net/URI;", "request",
                    "Ljdk/internal/net/http/HttpRequestImpl;");
        }
        CodeEditor methodEditor = new CodeEditor(cf, redirected);
        int n = ClassRewrite.beforeEach(methodEditor, Op.ARETURN, new ClassRewrite.FragmentFactory() {
            @Override
            public Bytecode create(CodeEditor e) {
                return e.bytecode().iload(0).aload(1).invokeStatic(BRIDGE, "hcRedirectedMethod",
                        "(Ljava/lang/String;ILjava/lang/String;)Ljava/lang/String;");
            }
        });
        ClassRewrite.expectSome(problems, "redirectedMethod", "areturn", n);
        final boolean uriField = canOne != null;
        CodeEditor canEditor = new CodeEditor(cf, can);
        n = ClassRewrite.beforeEach(canEditor, Op.IRETURN, new ClassRewrite.FragmentFactory() {
            @Override
            public Bytecode create(CodeEditor e) {
                Bytecode b = e.bytecode();
                if (uriField) {
                    b.aload(0).getField(NAME, "uri", "Ljava/net/URI;").aload(1)
                            .aload(0).getField(NAME, "request", "Ljdk/internal/net/http/HttpRequestImpl;");
                } else {
                    b.aload(1).aload(2).aconstNull();
                }
                return b.invokeStatic(BRIDGE, "hcCanRedirect", "(ZLjava/net/URI;Ljava/net/URI;Ljava/lang/Object;)Z");
            }
        });
        ClassRewrite.expectSome(problems, "canRedirect", "ireturn", n);
        if (problems.isEmpty()) {
            methodEditor.apply();
            canEditor.apply();
        }
    }
}
