package dev.redirectguard.rewrite;

import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.implementation.bytecode.StackManipulation;
import net.bytebuddy.implementation.bytecode.member.MethodInvocation;
import net.bytebuddy.implementation.bytecode.member.MethodVariableAccess;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.matcher.ElementMatchers;
import net.bytebuddy.pool.TypePool;

/**
 * jdk.internal.net.http.RedirectFilter (JDK 11 and later): {@code handleResponse(Response r)} holds
 * the whole hop, in every version: {@code rcode = r.statusCode()} in local 2, the target from
 * {@code getRedirectedURI}, the JDK's method from {@code redirectedMethod(rcode, method)}, then
 * {@code canRedirect} and the redirect limit, then {@code HttpRequestImpl.newInstanceForRedirection}.
 * <ol>
 * <li>after {@code redirectedMethod}: the bridge gets the status, the method, the JDK's answer,
 * the target, the request being redirected ({@code r.request()}) and its exchange; the hop is
 * decided there and kept against that request; the JDK's method goes on unchanged (the redirect
 * request's constructor applies the decision, all of it at once);
 * <li>after {@code canRedirect}: its answer, unless the hop's decision refuses (https to http);
 * <li>Advice at the exit, on every path: the hop's decision is dropped.
 * </ol>
 */
final class JdkRedirectFilterRewrite implements ClassRewrite {
    private static final String NAME = RewriteTargets.REDIRECT_FILTER;
    private static final String RESPONSE = "jdk/internal/net/http/Response";
    private static final String REQUEST = "Ljdk/internal/net/http/HttpRequestImpl;";
    private static final String HANDLE = "handleResponse";
    private static final String HANDLE_DESCRIPTOR = "(L" + RESPONSE + ";)" + REQUEST;

    @Override
    public DynamicType.Builder<?> apply(DynamicType.Builder<?> builder, TypeDescription type, TypePool pool,
                                        AdviceSource advice, final Shape shape, byte[] classFile) {
        MethodDescription handle = ClassRewrite.method(type, HANDLE, HANDLE_DESCRIPTOR);
        if (handle == null || handle.isStatic()) {
            shape.problem("instance method handleResponse(Response)HttpRequestImpl needed");
            return builder;
        }
        if (ClassRewrite.method(type, "redirectedMethod", "(ILjava/lang/String;)Ljava/lang/String;") == null) {
            shape.problem("static redirectedMethod(int,String) needed");
            return builder;
        }
        TypePool.Resolution response = pool.describe(RESPONSE.replace('/', '.'));
        MethodDescription.InDefinedShape request = null;
        if (response.isResolved()) {
            request = ClassRewrite.method(response.resolve(), "request", "()" + REQUEST);
            ClassRewrite.requireField(shape, response.resolve(), "exchange", "Ljdk/internal/net/http/Exchange;");
        }
        if (request == null || request.isStatic()) {
            shape.problem("Response.request()HttpRequestImpl needed");
            return builder;
        }
        shape.expectExactly("handleResponse: rcode = r.statusCode() in local 2", 1);
        shape.expectExactly("handleResponse: target = getRedirectedURI(..); astore", 1);
        shape.expectExactly("handleResponse: redirectedMethod(rcode, method)", 1);
        shape.expectExactly("handleResponse: canRedirect(..)", 1);
        // r.request(), the request being redirected: what the hop's decision is kept against.
        StackManipulation previousRequest = new StackManipulation.Compound(
                MethodVariableAccess.REFERENCE.loadFrom(1), MethodInvocation.invoke(request));
        Advice.WithCustomMapping mapping = advice.custom().bind(HopEndAdvice.HopOwner.class, previousRequest,
                TypeDescription.Generic.OfNonGenericType.ForLoadedType.of(Object.class));
        // Advice first, so the visitors below meet the JDK's own code (Advice moves locals).
        return builder
                .visit(advice.to(mapping, HopEndAdvice.class.getName() + "$HttpClient")
                        .on(ElementMatchers.named(HANDLE).and(ElementMatchers.hasDescriptor(HANDLE_DESCRIPTOR))))
                .visit(new AsmVisitorWrapper.ForDeclaredMethods()
                        .method(ElementMatchers.named(HANDLE).and(ElementMatchers.hasDescriptor(HANDLE_DESCRIPTOR)),
                                new AsmVisitorWrapper.ForDeclaredMethods.MethodVisitorWrapper() {
                                    @Override
                                    public MethodVisitor wrap(TypeDescription t, MethodDescription m, MethodVisitor mv,
                                                              Implementation.Context c, TypePool p, int w, int r) {
                                        return new HandleResponse(mv, shape);
                                    }
                                }));
    }

    private static final class HandleResponse extends PendingInsnVisitor {
        private final Shape shape;
        /** After Response.statusCode(): the next store must be istore_2. */
        private boolean afterStatusCode;
        /** After getRedirectedURI(..): the next instruction stores the target; its local is kept. */
        private boolean afterRedirectedUri;
        private int targetLocal = -1;

        HandleResponse(MethodVisitor next, Shape shape) {
            super(next, 6);
            this.shape = shape;
        }

        @Override
        public void visitVarInsn(int opcode, int var) {
            if (afterStatusCode && opcode == Opcodes.ISTORE && var == 2) {
                shape.found("handleResponse: rcode = r.statusCode() in local 2");
            } else if (opcode == Opcodes.ISTORE && var == 2) {
                shape.problem("handleResponse: local 2 written again");
            }
            if (afterRedirectedUri && opcode == Opcodes.ASTORE) {
                targetLocal = var;
                shape.found("handleResponse: target = getRedirectedURI(..); astore");
            }
            afterStatusCode = false;
            afterRedirectedUri = false;
            super.visitVarInsn(opcode, var);
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
            afterStatusCode = opcode == Opcodes.INVOKEVIRTUAL && owner.equals(RESPONSE) && name.equals("statusCode")
                    && descriptor.equals("()I");
            boolean redirectedUri = opcode == Opcodes.INVOKEVIRTUAL && owner.equals(NAME)
                    && name.equals("getRedirectedURI") && descriptor.endsWith(")Ljava/net/URI;");
            afterRedirectedUri = false;
            if (opcode == Opcodes.INVOKESTATIC && owner.equals(NAME) && name.equals("redirectedMethod")
                    && descriptor.equals("(ILjava/lang/String;)Ljava/lang/String;")) {
                if (targetLocal < 0) {
                    shape.problem("handleResponse: redirectedMethod before the target is known");
                    super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
                    return;
                }
                // [status, method] -> [status, method, jdkMethod] -> hcHop(...) -> [jdkMethod]
                emitInsn(Opcodes.DUP2);
                super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
                emitVar(Opcodes.ALOAD, targetLocal);
                emitVar(Opcodes.ALOAD, 1);
                emitInvoke(Opcodes.INVOKEVIRTUAL, RESPONSE, "request", "()" + REQUEST);
                emitVar(Opcodes.ALOAD, 1);
                emitField(Opcodes.GETFIELD, RESPONSE, "exchange", "Ljdk/internal/net/http/Exchange;");
                emitField(Opcodes.GETFIELD, "jdk/internal/net/http/Exchange", "multi",
                        "Ljdk/internal/net/http/MultiExchange;");
                emitBridge("hcHop", "(ILjava/lang/String;Ljava/lang/String;Ljava/net/URI;Ljava/lang/Object;"
                        + "Ljava/lang/Object;)Ljava/lang/String;");
                shape.found("handleResponse: redirectedMethod(rcode, method)");
                return;
            }
            super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
            afterRedirectedUri = redirectedUri;
            if (opcode == Opcodes.INVOKEVIRTUAL && owner.equals(NAME) && name.equals("canRedirect")
                    && descriptor.endsWith(")Z")) {
                emitVar(Opcodes.ALOAD, 1);
                emitInvoke(Opcodes.INVOKEVIRTUAL, RESPONSE, "request", "()" + REQUEST);
                emitBridge("hcCanRedirect", "(ZLjava/lang/Object;)Z");
                shape.found("handleResponse: canRedirect(..)");
            }
        }

        @Override
        public void visitInsn(int opcode) {
            afterStatusCode = false;
            afterRedirectedUri = false;
            super.visitInsn(opcode);
        }

        @Override
        public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
            afterStatusCode = false;
            afterRedirectedUri = false;
            super.visitFieldInsn(opcode, owner, name, descriptor);
        }
    }
}
