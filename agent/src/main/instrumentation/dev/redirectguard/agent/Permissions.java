package dev.redirectguard.agent;

import java.security.AccessControlException;
import java.security.Permission;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Under a SecurityManager the agent needs its jar granted what it does (README: Security). A
 * permission it is denied gets one stderr line, naming it and the grant to add; never one per use.
 */
final class Permissions {
    private static final Set<String> SAID = java.util.Collections.newSetFromMap(new ConcurrentHashMap<String, Boolean>());

    private Permissions() {
    }

    /** If {@code t} (or a cause) is a denied permission, says so once. */
    static void explain(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause() == c ? null : c.getCause()) {
            if (c instanceof AccessControlException) {
                Permission p = ((AccessControlException) c).getPermission();
                String what = p == null ? c.getMessage() : p.toString();
                if (SAID.add(what)) {
                    System.err.println("redirect-guard: the SecurityManager denies the agent " + what
                            + "; grant the agent jar all it needs: grant codeBase \"" + codeBase()
                            + "\" { permission java.security.AllPermission; };");
                }
                return;
            }
        }
    }

    private static String codeBase() {
        try {
            return java.security.AccessController.doPrivileged(new java.security.PrivilegedAction<String>() {
                @Override
                public String run() {
                    return Permissions.class.getProtectionDomain().getCodeSource().getLocation().toString();
                }
            });
        } catch (Throwable e) {
            return "file:/path/to/redirect-guard-agent.jar";
        }
    }
}
