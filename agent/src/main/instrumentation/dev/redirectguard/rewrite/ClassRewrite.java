package dev.redirectguard.rewrite;

import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.pool.TypePool;

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
