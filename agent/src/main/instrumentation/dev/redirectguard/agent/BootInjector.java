package dev.redirectguard.agent;

import java.lang.invoke.MethodHandles;
import java.util.function.Consumer;

/**
 * Defines classes inside java.lang (JDK 9+). It runs in a throwaway class loader whose unnamed
 * module alone is given access to java.lang, so the application's code never is. JDK types only,
 * and no reflection: loading the class hands an instance to its loader, which is a Consumer.
 */
public final class BootInjector implements Consumer<byte[][]> {
    static {
        @SuppressWarnings("unchecked")
        Consumer<Object> loader = (Consumer<Object>) BootInjector.class.getClassLoader();
        loader.accept(new BootInjector());
    }

    @Override
    public void accept(byte[][] classes) {
        try {
            MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(Object.class, MethodHandles.lookup());
            for (byte[] bytes : classes) {
                lookup.defineClass(bytes);
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }
}
