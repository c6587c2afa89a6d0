package dev.redirectguard.it;

import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * One child run (a JDK, a client, a mode): per case what the caller and the servers saw, in
 * case-table order, plus the agent's log lines.
 */
record RunResult(JdkMatrix.Jdk jdk, Client client, AgentMode mode, Map<String, CaseObservation> cases,
                 List<LogLine> log, Duration elapsed) {

    String label() {
        return label(jdk, client, mode);
    }

    static String label(JdkMatrix.Jdk jdk, Client client, AgentMode mode) {
        return jdk.label() + " " + client.logName + " " + mode.agentValue();
    }
}
