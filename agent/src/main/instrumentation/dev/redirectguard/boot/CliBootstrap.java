package dev.redirectguard.boot;

import java.io.File;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;

/**
 * {@code Main-Class}: {@code java -jar redirect-guard-agent.jar <command>}. Runs the command line
 * ({@code dev.redirectguard.cli.Cli}) in the agent's own loader, over the application class loader
 * so that it sees the attach API (jdk.attach on 9+; on a JDK 8, the JDK's lib/tools.jar, added here).
 */
public final class CliBootstrap {
    private CliBootstrap() {
    }

    public static void main(String[] args) throws Throwable {
        URL jar = CliBootstrap.class.getProtectionDomain().getCodeSource().getLocation();
        ClassLoader parent = ClassLoader.getSystemClassLoader();
        File tools = new File(System.getProperty("java.home"), "../lib/tools.jar");
        if (tools.isFile() && !hasAttachApi(parent)) {
            parent = new URLClassLoader(new URL[] {tools.toURI().toURL()}, parent);
        }
        Class<?> cli = Class.forName("dev.redirectguard.cli.Cli", true, new AgentLoader(jar, parent));
        try {
            cli.getMethod("main", String[].class).invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    private static boolean hasAttachApi(ClassLoader loader) {
        try {
            Class.forName("com.sun.tools.attach.VirtualMachine", false, loader);
            return true;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }
}
