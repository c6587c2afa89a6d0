package dev.redirectguard.rewrite;

import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.pool.TypePool;

import java.util.ArrayList;
import java.util.List;

/**
 * The rewrite of one JDK class: which Byte Buddy {@code Advice} and ASM method visitors it adds,
 * after checking the class's members; the visitors count the instruction patterns they edit into
 * the {@link Shape}. An interface, so the JVM's verifier loads no rewrite but the one a class needs.
 */
interface ClassRewrite {
    DynamicType.Builder<?> apply(DynamicType.Builder<?> builder, TypeDescription type, TypePool pool,
                                 AdviceSource advice, Shape shape, byte[] classFile);

    /** The declared method with this name and descriptor, or null. */
    static MethodDescription.InDefinedShape method(TypeDescription type, String name, String descriptor) {
        for (MethodDescription.InDefinedShape m : type.getDeclaredMethods()) {
            if (m.getInternalName().equals(name) && m.getDescriptor().equals(descriptor)) {
                return m;
            }
        }
        return null;
    }

    /**
     * Descriptors of the methods named {@code name}, their descriptor starting with
     * {@code descriptorPrefix}, whose body calls {@code owner.callName callDescriptor}: once per
     * such call, in the class file's order.
     */
    static List<String> methodsCalling(byte[] classFile, final String name, final String descriptorPrefix,
                                       final String owner, final String callName, final String callDescriptor) {
        final List<String> found = new ArrayList<String>();
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String n, final String descriptor, String signature,
                                             String[] exceptions) {
                if (!n.equals(name) || !descriptor.startsWith(descriptorPrefix)) {
                    return null;
                }
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitMethodInsn(int opcode, String o, String m, String d, boolean itf) {
                        if (o.equals(owner) && m.equals(callName) && d.equals(callDescriptor)) {
                            found.add(descriptor);
                        }
                    }
                };
            }
        }, ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return found;
    }

    static void requireStaticField(Shape shape, TypeDescription type, String name, String descriptor) {
        for (net.bytebuddy.description.field.FieldDescription.InDefinedShape f : type.getDeclaredFields()) {
            if (f.getName().equals(name) && f.getDescriptor().equals(descriptor) && f.isStatic()) {
                return;
            }
        }
        shape.problem("static field " + name + " " + descriptor + " not found");
    }

    static void requireField(Shape shape, TypeDescription type, String name, String descriptor) {
        for (net.bytebuddy.description.field.FieldDescription.InDefinedShape f : type.getDeclaredFields()) {
            if (f.getName().equals(name) && f.getDescriptor().equals(descriptor)) {
                return;
            }
        }
        shape.problem("field " + name + " " + descriptor + " not found");
    }
}
