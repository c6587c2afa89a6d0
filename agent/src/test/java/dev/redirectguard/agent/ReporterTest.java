package dev.redirectguard.agent;

import dev.redirectguard.rules.Rule;
import dev.redirectguard.rules.Violation;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ReporterTest {
    @Test
    void auditDetailSaysWhatTheJdkDid() {
        Violation v = new Violation(Rule.SAME_ORIGIN_HEADERS, "caller headers dropped: authorization cookie");
        assertEquals("caller headers dropped: authorization cookie", Reporter.detail(Reporter.OBSERVED, v));
    }

    @Test
    void enforceDetailSaysWhatTheJdkWouldHaveDone() {
        Violation v = new Violation(Rule.SAME_ORIGIN_HEADERS, "caller headers dropped: authorization cookie");
        assertEquals("the JDK would have: caller headers dropped: authorization cookie",
                Reporter.detail(Reporter.CORRECTED, v));
        Violation downgrade = new Violation(Rule.NO_HTTPS_DOWNGRADE, "https to http followed");
        assertEquals("the JDK would have: https to http followed", Reporter.detail(Reporter.REFUSED, downgrade));
    }

    @Test
    void streamedBodyRefusalKeepsTheJdksException() {
        Violation v = new Violation(Rule.STREAMED_BODY, "307 needs the streamed POST body again");
        assertEquals("HttpRetryException kept: 307 needs the streamed POST body again",
                Reporter.detail(Reporter.REFUSED, v));
    }
}
