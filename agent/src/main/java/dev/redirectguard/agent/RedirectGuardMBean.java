package dev.redirectguard.agent;

import javax.management.openmbean.TabularData;

/**
 * The operator's switch and counters, as {@code dev.redirectguard:type=RedirectGuard} on the
 * platform MBean server (jconsole, VisualVM, the Prometheus JMX exporter, the jar's CLI).
 *
 * <p>Counters are one table, indexed by rule, client, action and scope with a {@code count}
 * column: the Prometheus JMX exporter turns a TabularData's index columns into labels, so the
 * default rule yields one metric family ({@code ..._Counters_count{rule=,client=,action=,scope=}})
 * instead of an attribute name per cell to take apart with regular expressions; jconsole shows it
 * as a table. {@code scope} is {@code none} unless an enforce JVM only observed the hop because it
 * was out of its enforce scope ({@code rule}, {@code target} or {@code caller}). The
 * per-action totals and dropped lines are plain longs, which every tool graphs as they are.
 */
public interface RedirectGuardMBean {
    String OBJECT_NAME = "dev.redirectguard:type=RedirectGuard";

    /** off, audit or enforce; a change applies from the next redirect hop, nothing is retransformed. */
    String getMode();

    void setMode(String mode);

    /** The effective settings, in the agent-argument syntax. */
    String getSettings();

    /**
     * Changes settings live, {@code key=value,...} in the agent-argument syntax (mode, log, the
     * enforce scope, the log limits; not jmx or config): all of them, or none when one is bad
     * (the error names the key, the value and what is kept). Returns the new settings.
     */
    String set(String changes);

    String getVersion();

    /** What each rewritten JDK class got: "rewritten", or "left untouched" and why. */
    String[] getRewrites();

    TabularData getCounters();

    long getObserved();

    long getCorrected();

    long getRefused();

    /** Log lines not written (destination failed, rate limit, full queue); the counters still count them. */
    long getDroppedLines();

    /**
     * Throwables the agent's hooks raised inside the JDK's classes, swallowed so that the
     * application got the JDK's own behaviour for that hop. Expect 0.
     */
    long getSuppressedErrors();

    void resetCounters();
}
