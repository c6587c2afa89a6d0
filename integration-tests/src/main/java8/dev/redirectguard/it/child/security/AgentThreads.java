package dev.redirectguard.it.child.security;

import java.lang.reflect.Field;
import java.security.AccessController;
import java.security.PrivilegedAction;
import java.util.ArrayList;
import java.util.List;

/**
 * Every live thread whose name starts with {@code redirect-guard}, described as
 * {@code agent-thread<TAB><name><TAB>daemon=..<TAB>ccl=..<TAB>group=..<TAB>systemGroup=..<TAB>inherited=..}.
 * Enumerating the system thread group needs {@code RuntimePermission "modifyThreadGroup"} under a
 * SecurityManager: SecurityManagerIT runs this class from its own code base, granted exactly that,
 * and it asks for it privileged, so the application's own code gets nothing more. {@code inherited}
 * counts the entries of the thread's {@code inheritableThreadLocals} map (on 9+ only readable
 * with {@code --add-opens java.base/java.lang=ALL-UNNAMED}; otherwise {@code unreadable}). Java 8.
 */
public final class AgentThreads {
    public static final String PREFIX = "redirect-guard";

    private AgentThreads() {
    }

    /** One line per agent thread (none: an empty list). */
    public static List<String> describe() {
        return AccessController.doPrivileged(new PrivilegedAction<List<String>>() {
            @Override
            public List<String> run() {
                ThreadGroup system = systemGroup();
                List<String> lines = new ArrayList<String>();
                for (Thread t : all(system)) {
                    if (t.getName().startsWith(PREFIX)) {
                        ClassLoader ccl = t.getContextClassLoader();
                        lines.add("agent-thread\t" + t.getName() + "\tdaemon=" + t.isDaemon() + "\tccl="
                                + (ccl == null ? "null" : ccl.getClass().getName()) + "\tgroup="
                                + (t.getThreadGroup() == null ? "none (ended)" : t.getThreadGroup().getName())
                                + "\tsystemGroup=" + (t.getThreadGroup() == system) + "\tinherited="
                                + inheritedLocals(t));
                    }
                }
                return lines;
            }
        });
    }

    /** Every live thread, as {@code name (group, daemon, ccl)}: what to read when something stays pinned. */
    public static List<String> everyThread() {
        return AccessController.doPrivileged(new PrivilegedAction<List<String>>() {
            @Override
            public List<String> run() {
                List<String> lines = new ArrayList<String>();
                for (Thread t : all(systemGroup())) {
                    ClassLoader ccl = t.getContextClassLoader();
                    lines.add(t.getName() + " (group " + (t.getThreadGroup() == null ? "-" : t.getThreadGroup().getName())
                            + ", daemon " + t.isDaemon() + ", ccl " + (ccl == null ? "null" : ccl.getClass().getName() + "@"
                            + Integer.toHexString(System.identityHashCode(ccl))) + ", inherited " + inheritedLocals(t) + ")");
                }
                return lines;
            }
        });
    }

    static ThreadGroup systemGroup() {
        ThreadGroup g = Thread.currentThread().getThreadGroup();
        while (g.getParent() != null) {
            g = g.getParent();
        }
        return g;
    }

    static Thread[] all(ThreadGroup system) {
        Thread[] threads = new Thread[system.activeCount() + 32];
        int n;
        while ((n = system.enumerate(threads, true)) == threads.length) {
            threads = new Thread[threads.length * 2];
        }
        Thread[] live = new Thread[n];
        System.arraycopy(threads, 0, live, 0, n);
        return live;
    }

    /** Entries of the thread's inheritable thread-local map, by reflection on java.lang.Thread. */
    static String inheritedLocals(Thread t) {
        try {
            Field f = Thread.class.getDeclaredField("inheritableThreadLocals");
            f.setAccessible(true);
            Object map = f.get(t);
            if (map == null) {
                return "0";
            }
            Field table = map.getClass().getDeclaredField("table");
            table.setAccessible(true);
            Object[] entries = (Object[]) table.get(map);
            int n = 0;
            for (Object e : entries) {
                if (e != null) {
                    n++;
                }
            }
            return String.valueOf(n);
        } catch (Throwable e) {
            return "unreadable (" + e.getClass().getSimpleName() + ")";
        }
    }
}
