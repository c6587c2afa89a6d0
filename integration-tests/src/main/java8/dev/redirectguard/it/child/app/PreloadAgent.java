package dev.redirectguard.it.child.app;

import java.lang.instrument.Instrumentation;

/**
 * An agent started ahead of redirect-guard that loads the JDK classes redirect-guard rewrites (not
 * initialised), as an agent that makes HTTP calls in its premain would. Prints
 * {@code preloaded<TAB>class<TAB>loaded} for each class its JDK has, as its Instrumentation sees it.
 */
public final class PreloadAgent {
    private static final String[] CLASSES = {
            "sun.net.www.protocol.http.HttpURLConnection",
            "jdk.internal.net.http.RedirectFilter",
            "jdk.internal.net.http.HttpRequestImpl",
            "jdk.internal.net.http.MultiExchange",
            "jdk.internal.net.http.HttpClientImpl",
    };

    private PreloadAgent() {
    }

    public static void premain(String args, Instrumentation inst) {
        for (String name : CLASSES) {
            try {
                Class.forName(name, false, ClassLoader.getSystemClassLoader());
            } catch (ClassNotFoundException notInThisJdk) {
                continue; // java.net.http: 11+
            }
            boolean loaded = false;
            for (Class<?> c : inst.getAllLoadedClasses()) {
                loaded |= c.getName().equals(name);
            }
            System.out.println("preloaded\t" + name + "\t" + loaded);
        }
    }
}
