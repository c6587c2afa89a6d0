package dev.redirectguard.agent;

import dev.redirectguard.log.ViolationRecord;

/**
 * Where violations go besides the log: JFR events on JVMs that have JFR ({@code JfrViolations},
 * in src/main/instrumentation since it names jdk.jfr). Never more than a few calls per violation.
 */
interface ViolationEvents {
    void commit(ViolationRecord r);
}
