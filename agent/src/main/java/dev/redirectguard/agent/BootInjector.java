package dev.redirectguard.agent;

import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;

/**
 * Defines classes in java.lang from inside a throwaway class loader (JDK 9+). Only that loader's
 * unnamed module is given access to java.lang, so the application's own code never is. JDK types
 * only: this class is defined a second time, from its bytes, in that loader.
 */
public final class BootInjector {
    private BootInjector() {
    }

    public static void define(byte[][] classes) throws Exception {
        Method privateLookupIn = MethodHandles.class.getMethod("privateLookupIn", Class.class,
                MethodHandles.Lookup.class);
        Object lookup = privateLookupIn.invoke(null, Object.class, MethodHandles.lookup());
        Method defineClass = MethodHandles.Lookup.class.getMethod("defineClass", byte[].class);
        for (byte[] bytes : classes) {
            defineClass.invoke(lookup, (Object) bytes);
        }
    }
}
