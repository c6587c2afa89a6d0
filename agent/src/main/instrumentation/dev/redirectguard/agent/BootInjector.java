package dev.redirectguard.agent;

import java.lang.invoke.MethodHandles;
import java.lang.reflect.Method;
import java.util.function.Function;

/**
 * Defines the bridge inside java.lang and installs the agent's hooks in it (JDK 9+). It runs in a
 * throwaway class loader whose unnamed module alone is given access to java.lang, so the
 * application's code never is. JDK types only, and no reflective construction: loading the class
 * hands an instance to its loader, which is a Consumer.
 *
 * <p>{@code apply(byte[][])} defines classes (returns null); {@code apply(hooks)} installs the
 * hooks through the bridge's private {@code install} (returns whether it took them).
 */
public final class BootInjector implements Function<Object, Object> {
    static {
        @SuppressWarnings("unchecked")
        java.util.function.Consumer<Object> loader =
                (java.util.function.Consumer<Object>) BootInjector.class.getClassLoader();
        loader.accept(new BootInjector());
    }

    @Override
    public Object apply(Object argument) {
        try {
            if (argument instanceof byte[][]) {
                MethodHandles.Lookup lookup = MethodHandles.privateLookupIn(Object.class, MethodHandles.lookup());
                for (byte[] bytes : (byte[][]) argument) {
                    lookup.defineClass(bytes);
                }
                return null;
            }
            Class<?> bridge = Class.forName("java.lang.RedirectGuardBridge", false, null);
            Method install = bridge.getDeclaredMethod("install",
                    Class.forName("java.lang.RedirectGuardBridge$Hooks", false, null));
            install.setAccessible(true);
            return install.invoke(null, argument);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
