package dev.redirectguard.agent;

import java.lang.instrument.Instrumentation;
import java.util.Collections;

/** JDK 9+ module calls, compiled against the JDK's API so that they need no reflection. */
final class ModuleAccess {
    private ModuleAccess() {
    }

    /** Opens java.lang to the unnamed module of {@code loader} only. */
    static void openJavaLangTo(Instrumentation inst, ClassLoader loader) {
        inst.redefineModule(Object.class.getModule(), Collections.<Module>emptySet(),
                Collections.<String, java.util.Set<Module>>emptyMap(),
                Collections.singletonMap("java.lang", Collections.singleton(loader.getUnnamedModule())),
                Collections.<Class<?>>emptySet(), Collections.<Class<?>, java.util.List<Class<?>>>emptyMap());
    }
}
