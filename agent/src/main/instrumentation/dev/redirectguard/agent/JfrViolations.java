package dev.redirectguard.agent;

import dev.redirectguard.log.ViolationRecord;
import jdk.jfr.FlightRecorder;

/**
 * Commits {@link ViolationEvent}s. Loaded by name at the first violation, and only where
 * jdk.jfr exists; its static initializer hands an instance to {@link Reporter} (no reflective
 * construction: on JDK 18+ that would start the method-handle machinery). While JFR has not
 * started in this JVM, nothing is loaded beyond FlightRecorder: the event class waits for a
 * recording (-XX:StartFlightRecording, or jcmd JFR.start later).
 */
final class JfrViolations implements ViolationEvents {
    static {
        Reporter.jfr = new JfrViolations();
    }

    private JfrViolations() {
    }

    @Override
    public void commit(ViolationRecord r) {
        if (!FlightRecorder.isInitialized()) {
            return;
        }
        ViolationEvent e = new ViolationEvent();
        if (!e.isEnabled()) {
            return;
        }
        e.rule = r.rule;
        e.client = r.client;
        e.mode = r.mode;
        e.action = r.action;
        e.scope = r.scope;
        e.status = r.status;
        e.method = r.method;
        e.jdkMethod = r.jdkMethod;
        e.expectedMethod = r.expectedMethod;
        e.from = r.from;
        e.to = r.to;
        e.caller = r.caller;
        e.callerUnread = r.callerUnread;
        e.detail = r.detail;
        e.commit();
    }
}
