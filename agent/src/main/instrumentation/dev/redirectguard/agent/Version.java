package dev.redirectguard.agent;

import java.io.File;
import java.util.jar.JarFile;

/** The agent's version, from its jar's manifest ({@code Implementation-Version}); "dev" outside a jar. */
public final class Version {
    private Version() {
    }

    public static String of(Class<?> agentClass) {
        try {
            File jar = new File(agentClass.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (!jar.isFile()) {
                return "dev";
            }
            JarFile f = new JarFile(jar);
            try {
                String v = f.getManifest() == null ? null
                        : f.getManifest().getMainAttributes().getValue("Implementation-Version");
                return v == null ? "dev" : v;
            } finally {
                f.close();
            }
        } catch (Exception e) {
            return "dev";
        }
    }
}
