package dev.redirectguard.rewrite;

import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.matcher.ElementMatchers;
import net.bytebuddy.pool.TypePool;

/**
 * sun.net.www.protocol.http.HttpURLConnection (JDK 8 and later; HttpsURLConnection delegates to it).
 *
 * <p>followRedirect(): its status gate {@code stat > 307} returns a 308 to the caller; the 307
 * becomes a bridge call that answers 308 where the rules follow it. Advice at its exit, on every
 * path, ends the hop (followRedirect encloses followRedirect0).
 *
 * <p>followRedirect0(String loc, int stat, URL locUrl), the hop itself, where the JDK's decisions
 * sit in the middle of the method, out of Advice's reach; ASM method visitors edit them:
 * <ol>
 * <li>after {@code streaming()}: the bridge decides the hop (its plan) and whether a streamed body
 * still throws HttpRetryException;
 * <li>{@code method.equals("POST")} and {@code Boolean.getBoolean("http.strictPostRedirect")}: the
 * plan decides whether the JDK's POST-to-GET branch runs (it empties the headers, sets GET and
 * drops the buffered body);
 * <li>after that branch's {@code super.setRequestMethod("GET")}: the streaming lengths, which a
 * bodiless GET must not announce, where the plan followed a streamed body;
 * <li>before {@code return true}: the plan's header changes.
 * </ol>
 *
 * <p>getInputStream0(): before each followRedirect(), the redirect count and the JDK's limit go to
 * the bridge: the hop the limit ends (ProtocolException, nothing sent) is not judged.
 */
final class SunHttpUrlConnectionRewrite implements ClassRewrite {
    private static final String NAME = RewriteTargets.HTTP_URL_CONNECTION;
    private static final String SUPER = "java/net/HttpURLConnection";
    private static final String MESSAGE_HEADER = "Lsun/net/www/MessageHeader;";
    private static final String POSTER = "Lsun/net/www/http/PosterOutputStream;";
    private static final String FOLLOW = "followRedirect";
    private static final String HOP = "followRedirect0";
    private static final String HOP_DESCRIPTOR = "(Ljava/lang/String;ILjava/net/URL;)Z";
    private static final String INPUT = "getInputStream0";

    @Override
    public DynamicType.Builder<?> apply(DynamicType.Builder<?> builder, TypeDescription type, TypePool pool,
                                        AdviceSource advice, final Shape shape, byte[] classFile) {
        ClassRewrite.requireField(shape, type, "requests", MESSAGE_HEADER);
        ClassRewrite.requireField(shape, type, "userHeaders", MESSAGE_HEADER);
        ClassRewrite.requireField(shape, type, "poster", POSTER);
        MethodDescription follow = ClassRewrite.method(type, FOLLOW, "()Z");
        MethodDescription hop = ClassRewrite.method(type, HOP, HOP_DESCRIPTOR);
        if (follow == null || hop == null || follow.isStatic() || hop.isStatic()) {
            shape.problem("instance methods followRedirect()Z and followRedirect0(String,int,URL)Z both needed");
            return builder;
        }
        shape.expectExactly("followRedirect: sipush 307; if_icmpgt", 1);
        shape.expectExactly("followRedirect0: streaming()", 1);
        shape.expectExactly("followRedirect0: method.equals(\"POST\")", 1);
        shape.expectExactly("followRedirect0: Boolean.getBoolean(\"http.strictPostRedirect\")", 1);
        shape.expectExactly("followRedirect0: super.setRequestMethod(String)", 1);
        shape.expect("followRedirect0: return true", 1, Integer.MAX_VALUE);
        shape.expectExactly("getInputStream0: followRedirect(); ifeq; iinc 1 1 (the redirect count)", 1);
        if (ClassRewrite.method(type, INPUT, "()Ljava/io/InputStream;") == null) {
            shape.problem("getInputStream0()InputStream needed");
        }
        ClassRewrite.requireStaticField(shape, type, "maxRedirects", "I");
        // Advice first, so the visitors below meet the JDK's own code (Advice moves locals).
        return builder
                .visit(advice.to(HopEndAdvice.class.getName() + "$UrlConnection")
                        .on(ElementMatchers.named(FOLLOW).and(ElementMatchers.takesArguments(0))))
                .visit(new AsmVisitorWrapper.ForDeclaredMethods()
                        .method(ElementMatchers.named(FOLLOW).and(ElementMatchers.takesArguments(0)),
                                new AsmVisitorWrapper.ForDeclaredMethods.MethodVisitorWrapper() {
                                    @Override
                                    public MethodVisitor wrap(TypeDescription t, MethodDescription m, MethodVisitor mv,
                                                              Implementation.Context c, TypePool p, int w, int r) {
                                        return new Gate(mv, shape);
                                    }
                                })
                        .method(ElementMatchers.named(INPUT).and(ElementMatchers.hasDescriptor("()Ljava/io/InputStream;")),
                                new AsmVisitorWrapper.ForDeclaredMethods.MethodVisitorWrapper() {
                                    @Override
                                    public MethodVisitor wrap(TypeDescription t, MethodDescription m, MethodVisitor mv,
                                                              Implementation.Context c, TypePool p, int w, int r) {
                                        return new RedirectCount(mv, shape);
                                    }
                                })
                        .method(ElementMatchers.named(HOP).and(ElementMatchers.hasDescriptor(HOP_DESCRIPTOR)),
                                new AsmVisitorWrapper.ForDeclaredMethods.MethodVisitorWrapper() {
                                    @Override
                                    public MethodVisitor wrap(TypeDescription t, MethodDescription m, MethodVisitor mv,
                                                              Implementation.Context c, TypePool p, int w, int r) {
                                        return new Hop(mv, shape);
                                    }
                                }));
    }

    /** {@code sipush 307; if_icmpgt} becomes {@code dup; aload_0; invokestatic hucFollowCeiling; if_icmpgt}. */
    private static final class Gate extends PendingInsnVisitor {
        private final Shape shape;

        Gate(MethodVisitor next, Shape shape) {
            super(next, 2);
            this.shape = shape;
        }

        @Override
        public void visitIntInsn(int opcode, int operand) {
            if (opcode == Opcodes.SIPUSH && operand == 307) {
                holdIntInsn(opcode, operand);
                return;
            }
            super.visitIntInsn(opcode, operand);
        }

        @Override
        public void visitJumpInsn(int opcode, net.bytebuddy.jar.asm.Label label) {
            if (opcode == Opcodes.IF_ICMPGT && heldOpcode() == Opcodes.SIPUSH) {
                takeHeld();
                emitInsn(Opcodes.DUP);
                emitVar(Opcodes.ALOAD, 0);
                emitBridge("hucFollowCeiling", "(ILjava/lang/Object;)I");
                shape.found("followRedirect: sipush 307; if_icmpgt");
            }
            super.visitJumpInsn(opcode, label);
        }
    }

    /**
     * getInputStream0 counts redirects in local 1 ({@code followRedirect(); ifeq; iinc 1 1}) and
     * throws ProtocolException once it reaches {@code maxRedirects}: before each followRedirect()
     * the bridge learns the count, so a hop the limit ends before anything is sent is not judged.
     */
    private static final class RedirectCount extends PendingInsnVisitor {
        private final Shape shape;
        private int step; // 1: after followRedirect(); 2: after its ifeq

        RedirectCount(MethodVisitor next, Shape shape) {
            super(next, 3);
            this.shape = shape;
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
            step = 0;
            if (owner.equals(NAME) && name.equals(FOLLOW) && descriptor.equals("()Z")
                    && (opcode == Opcodes.INVOKEVIRTUAL || opcode == Opcodes.INVOKESPECIAL)) {
                emitVar(Opcodes.ILOAD, 1);
                emitField(Opcodes.GETSTATIC, NAME, "maxRedirects", "I");
                emitVar(Opcodes.ALOAD, 0);
                emitBridge("hucRedirects", "(IILjava/lang/Object;)V");
                super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
                step = 1;
                return;
            }
            super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
        }

        @Override
        public void visitJumpInsn(int opcode, net.bytebuddy.jar.asm.Label label) {
            step = step == 1 && opcode == Opcodes.IFEQ ? 2 : 0;
            super.visitJumpInsn(opcode, label);
        }

        @Override
        public void visitIincInsn(int var, int increment) {
            if (step == 2 && var == 1 && increment == 1) {
                shape.found("getInputStream0: followRedirect(); ifeq; iinc 1 1 (the redirect count)");
            }
            step = 0;
            super.visitIincInsn(var, increment);
        }

        @Override
        public void visitInsn(int opcode) {
            step = 0;
            super.visitInsn(opcode);
        }

        @Override
        public void visitVarInsn(int opcode, int var) {
            step = 0;
            super.visitVarInsn(opcode, var);
        }

        @Override
        public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
            step = 0;
            super.visitFieldInsn(opcode, owner, name, descriptor);
        }
    }

    private static final class Hop extends PendingInsnVisitor {
        private final Shape shape;
        private boolean afterMethodField;

        Hop(MethodVisitor next, Shape shape) {
            super(next, 10);
            this.shape = shape;
        }

        @Override
        public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
            super.visitFieldInsn(opcode, owner, name, descriptor);
            afterMethodField = opcode == Opcodes.GETFIELD && name.equals("method")
                    && descriptor.equals("Ljava/lang/String;");
        }

        @Override
        public void visitLdcInsn(Object value) {
            boolean post = "POST".equals(value) && afterMethodField;
            afterMethodField = false;
            if (post || "http.strictPostRedirect".equals(value)) {
                holdLdc(value);
                return;
            }
            super.visitLdcInsn(value);
        }

        @Override
        public void visitInsn(int opcode) {
            afterMethodField = false;
            if (opcode == Opcodes.ICONST_1) {
                holdInsn(opcode);
                return;
            }
            if (opcode == Opcodes.IRETURN && heldOpcode() == Opcodes.ICONST_1) {
                takeHeld();
                emitInsn(Opcodes.ICONST_1);
                emitVar(Opcodes.ALOAD, 0);
                emitField(Opcodes.GETFIELD, NAME, "requests", MESSAGE_HEADER);
                emitVar(Opcodes.ALOAD, 0);
                emitField(Opcodes.GETFIELD, NAME, "userHeaders", MESSAGE_HEADER);
                emitVar(Opcodes.ALOAD, 0);
                emitBridge("hucFollowed", "(Ljava/lang/Object;Ljava/lang/Object;Ljava/lang/Object;)V");
                shape.found("followRedirect0: return true");
            }
            super.visitInsn(opcode);
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
            afterMethodField = false;
            Object held = heldValue();
            if (held != null && heldOpcode() == Opcodes.LDC && "POST".equals(held) && opcode == Opcodes.INVOKEVIRTUAL
                    && owner.equals("java/lang/String") && name.equals("equals")
                    && descriptor.equals("(Ljava/lang/Object;)Z")) {
                // method.equals("POST") becomes hucSwitchToGet(method, stat, this)
                takeHeld();
                emitVar(Opcodes.ILOAD, 2);
                emitVar(Opcodes.ALOAD, 0);
                emitBridge("hucSwitchToGet", "(Ljava/lang/String;ILjava/lang/Object;)Z");
                shape.found("followRedirect0: method.equals(\"POST\")");
                return;
            }
            if (held != null && heldOpcode() == Opcodes.LDC && "http.strictPostRedirect".equals(held)
                    && opcode == Opcodes.INVOKESTATIC && owner.equals("java/lang/Boolean") && name.equals("getBoolean")
                    && descriptor.equals("(Ljava/lang/String;)Z")) {
                release();
                emitVar(Opcodes.ALOAD, 0);
                emitBridge("hucStrictPostRedirect", "(Ljava/lang/String;Ljava/lang/Object;)Z");
                shape.found("followRedirect0: Boolean.getBoolean(\"http.strictPostRedirect\")");
                return;
            }
            super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
            if (opcode == Opcodes.INVOKEVIRTUAL && owner.equals(NAME) && name.equals("streaming")
                    && descriptor.equals("()Z")) {
                emitVar(Opcodes.ALOAD, 0);
                emitVar(Opcodes.ILOAD, 2);
                emitVar(Opcodes.ALOAD, 3);
                emitVar(Opcodes.ALOAD, 0);
                emitField(Opcodes.GETFIELD, NAME, "poster", POSTER);
                emitVar(Opcodes.ALOAD, 0);
                emitField(Opcodes.GETFIELD, NAME, "userHeaders", MESSAGE_HEADER);
                emitVar(Opcodes.ALOAD, 0);
                emitField(Opcodes.GETFIELD, NAME, "requests", MESSAGE_HEADER);
                emitBridge("hucHop", "(ZLjava/lang/Object;ILjava/net/URL;Ljava/lang/Object;Ljava/lang/Object;"
                        + "Ljava/lang/Object;)Z");
                shape.found("followRedirect0: streaming()");
            } else if (opcode == Opcodes.INVOKESPECIAL && owner.equals(SUPER) && name.equals("setRequestMethod")
                    && descriptor.equals("(Ljava/lang/String;)V")) {
                resetLength("fixedContentLength", "I", "hucStreamingLength", "(ILjava/lang/Object;)I");
                resetLength("fixedContentLengthLong", "J", "hucStreamingLengthLong", "(JLjava/lang/Object;)J");
                resetLength("chunkLength", "I", "hucStreamingLength", "(ILjava/lang/Object;)I");
                shape.found("followRedirect0: super.setRequestMethod(String)");
            }
        }

        /** {@code this.field = bridge(this.field, this)}: straight-line, the JDK's value unless the plan resets it. */
        private void resetLength(String field, String type, String bridgeMethod, String bridgeDescriptor) {
            emitVar(Opcodes.ALOAD, 0);
            emitVar(Opcodes.ALOAD, 0);
            emitField(Opcodes.GETFIELD, SUPER, field, type);
            emitVar(Opcodes.ALOAD, 0);
            emitBridge(bridgeMethod, bridgeDescriptor);
            emitField(Opcodes.PUTFIELD, SUPER, field, type);
        }
    }
}
