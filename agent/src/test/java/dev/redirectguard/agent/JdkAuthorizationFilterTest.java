package dev.redirectguard.agent;

import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.http.HttpClient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class JdkAuthorizationFilterTest {

    @Test
    void theTestJdksPredicateAsksWhetherAnAuthenticatorIsPresent() throws Exception {
        try (InputStream in = HttpClient.class.getResourceAsStream("/jdk/internal/net/http/common/Utils.class")) {
            assertNotNull(in, "Utils.class of java.net.http");
            assertEquals(Boolean.TRUE, JdkAuthorizationFilter.asksIsPresent(in.readAllBytes()));
        }
        assertTrue(JdkAuthorizationFilter.active());
    }

    @Test
    void aPredicateThatNeverAsksIsAFilterThatNeverFilters() {
        // JDK 11.0.24's shape: authenticator() compared with null, never isPresent().
        assertEquals(Boolean.FALSE, JdkAuthorizationFilter.asksIsPresent(utils("lambda$CONTEXT_RESTRICTED$3", false)));
        assertEquals(Boolean.TRUE, JdkAuthorizationFilter.asksIsPresent(utils("lambda$CONTEXT_RESTRICTED$3", true)));
    }

    @Test
    void anotherShapeIsUnknown() {
        assertNull(JdkAuthorizationFilter.asksIsPresent(utils("somethingElse", true)));
    }

    private static byte[] utils(String lambda, boolean asksIsPresent) {
        ClassWriter cw = new ClassWriter(ClassWriter.COMPUTE_MAXS);
        cw.visit(Opcodes.V11, Opcodes.ACC_PUBLIC, "x/Utils", null, "java/lang/Object", null);
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC, lambda,
                "(Ljava/net/http/HttpClient;Ljava/lang/String;Ljava/lang/String;)Z", null, null);
        mv.visitCode();
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/net/http/HttpClient", "authenticator",
                "()Ljava/util/Optional;", false);
        if (asksIsPresent) {
            mv.visitMethodInsn(Opcodes.INVOKEVIRTUAL, "java/util/Optional", "isPresent", "()Z", false);
        } else {
            mv.visitInsn(Opcodes.POP);
            mv.visitInsn(Opcodes.ICONST_1);
        }
        mv.visitInsn(Opcodes.IRETURN);
        mv.visitMaxs(0, 0);
        mv.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }
}
