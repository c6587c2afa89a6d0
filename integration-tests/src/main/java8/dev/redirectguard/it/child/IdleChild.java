package dev.redirectguard.it.child;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import javax.management.MBeanServer;
import javax.management.ObjectName;

/**
 * Child program of IdleAgentIT: an application that does nothing. Waits until the agent's MBean is
 * registered (the agent's thread has then done all its start-up work), then prints the CPU time
 * the agent's thread used over {@code args[0]} milliseconds of idleness: "cpu NANOS wall NANOS".
 * Java 8: loaded by every JDK.
 */
public final class IdleChild {
    private IdleChild() {
    }

    public static void main(String[] args) throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        ObjectName agent = new ObjectName("dev.redirectguard:type=RedirectGuard");
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!server.isRegistered(agent)) {
            if (System.nanoTime() > deadline) {
                System.out.println("no MBean in 60 s");
                return;
            }
            Thread.sleep(10);
        }
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long id = -1;
        for (ThreadInfo t : threads.getThreadInfo(threads.getAllThreadIds())) {
            if (t != null && t.getThreadName().equals("redirect-guard")) {
                id = t.getThreadId();
            }
        }
        if (id < 0) {
            System.out.println("no redirect-guard thread");
            return;
        }
        long cpu0 = threads.getThreadCpuTime(id);
        long wall0 = System.nanoTime();
        Thread.sleep(Long.parseLong(args[0]));
        long cpu = threads.getThreadCpuTime(id) - cpu0;
        long wall = System.nanoTime() - wall0;
        System.out.println("cpu " + cpu + " wall " + wall);
    }
}
