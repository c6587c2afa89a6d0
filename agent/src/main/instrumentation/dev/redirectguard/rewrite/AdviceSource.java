package dev.redirectguard.rewrite;

import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.pool.TypePool;

/**
 * The agent's advice classes, described from their class files (never loaded as classes: they
 * name JDK internals only through the code they are inlined into).
 */
final class AdviceSource {
    private final ClassFileLocator locator;
    private final TypePool pool;

    AdviceSource(ClassLoader agentLoader) {
        this.locator = ClassFileLocator.ForClassLoader.of(agentLoader);
        this.pool = TypePool.Default.WithLazyResolution.of(locator);
    }

    /** @param adviceClass binary name of the advice class */
    Advice to(String adviceClass) {
        return Advice.to(pool.describe(adviceClass).resolve(), locator);
    }

    Advice.WithCustomMapping custom() {
        return Advice.withCustomMapping();
    }

    Advice to(Advice.WithCustomMapping mapping, String adviceClass) {
        return mapping.to(pool.describe(adviceClass).resolve(), locator);
    }
}
