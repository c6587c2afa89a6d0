package dev.redirectguard.agent;

import java.security.AccessController;
import java.security.PrivilegedAction;
import java.util.concurrent.TimeUnit;

/**
 * The agent's one thread, "redirect-guard": start-up preparation, then, for the life of the JVM,
 * the log writer, the config-file watch and the MBean registration. Started from premain or
 * agentmain, never from an application thread, and made clean: a daemon, context class loader
 * null, in the system thread group, no inherited thread-locals (JDK 9+ asks the constructor not
 * to copy them; on JDK 8 the starting thread, the JVM's own, has none), created privileged so its
 * access control context is the agent's. So nothing of an application (a web application's class
 * loader, its thread group, its inheritable thread-locals) is ever held by the agent.
 */
final class AgentThread implements Runnable {
    static final String NAME = "redirect-guard";
    private static final long TICK_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final GuardState state;
    /** Its work: the rest of a start, and the MBean when due (calls, not tasks: no class each). */
    private final AgentMain agent;
    private volatile boolean settleFirst;
    private volatile long mbeanDueNanos = Long.MAX_VALUE;
    private volatile boolean mbeanScheduled;

    private AgentThread(GuardState state, AgentMain agent) {
        this.state = state;
        this.agent = agent;
    }

    /** The agent's thread, not started yet. */
    static AgentThread create(GuardState state, AgentMain agent) {
        return new AgentThread(state, agent);
    }

    /** @param settleFirst settle the start ({@link AgentMain#settleAtStart}) first, once */
    void start(boolean settleFirst) {
        this.settleFirst = settleFirst;
        // Created privileged under a SecurityManager, so its access control context is the agent's.
        Thread t = System.getSecurityManager() == null ? newCleanThreads(this) : Privileged.newCleanThreads(this);
        state.agentThread(t);
        t.start();
    }

    /**
     * The agent's thread, and the exit hook that flushes the log, made the same clean way. The hook
     * is registered now, not at the first line: a JVM may end before the agent's thread gets to it.
     */
    private static Thread newCleanThreads(AgentThread task) {
        Thread t = newCleanThread(task, NAME);
        t.setDaemon(true);
        try {
            Runtime.getRuntime().addShutdownHook(newCleanThread(new LogFlush(task.state), LogFlush.NAME));
        } catch (RuntimeException e) {
            // One handler, not two: the verifier loads each handler's class from the runtime image
            // at start-up, and neither IllegalStateException nor SecurityException is in the JDK's
            // class data archive.
            if (e instanceof SecurityException) {
                System.err.println("redirect-guard: the log is not flushed at exit: " + e);
            } else if (!(e instanceof IllegalStateException)) {
                throw e;
            }
            // IllegalStateException: already shutting down, nothing to hook into; the agent's
            // thread writes while the JVM shuts down
        }
        return t;
    }

    /** Under a SecurityManager only: a class of its own, so that start-up loads none of it otherwise. */
    private static final class Privileged implements PrivilegedAction<Thread> {
        private final AgentThread task;

        private Privileged(AgentThread task) {
            this.task = task;
        }

        static Thread newCleanThreads(AgentThread task) {
            return AccessController.doPrivileged(new Privileged(task));
        }

        @Override
        public Thread run() {
            return AgentThread.newCleanThreads(task);
        }
    }

    private static Thread newCleanThread(Runnable task, String name) {
        ThreadGroup system = Thread.currentThread().getThreadGroup();
        while (system.getParent() != null) {
            system = system.getParent();
        }
        Thread t;
        if (!System.getProperty("java.specification.version", "1.8").startsWith("1.")) {
            t = Threads9.withoutInheritedLocals(system, task, name); // JDK 9+
        } else {
            t = new Thread(system, task, name);
        }
        t.setContextClassLoader(null);
        return t;
    }

    /** Registers the MBean from this thread, {@code delaySeconds} from now. */
    void scheduleMBean(long delaySeconds) {
        mbeanDueNanos = System.nanoTime() + TimeUnit.SECONDS.toNanos(delaySeconds);
        mbeanScheduled = true;
        state.wakeAgentThread();
    }

    @Override
    public void run() {
        if (settleFirst) {
            settleFirst = false;
            agent.settleAtStart();
        }
        long nextTick = System.nanoTime() + TICK_NANOS;
        for (;;) {
            try {
                long now = System.nanoTime();
                if (now - nextTick >= 0) {
                    nextTick = now + TICK_NANOS;
                    state.tick();
                }
                if (mbeanScheduled && now - mbeanDueNanos >= 0) {
                    mbeanScheduled = false;
                    agent.registerScheduledMBean();
                }
                // Only a registration still due shortens the wait: a past due time would make it 0,
                // and this thread would spin for the life of the JVM.
                long wait = nextTick - now;
                if (mbeanScheduled) {
                    wait = Math.min(wait, Math.max(0, mbeanDueNanos - now));
                }
                state.writeLog(Math.max(1, wait));
            } catch (Throwable t) {
                // keep going: one bad round must not end the agent's thread
            }
        }
    }
}
