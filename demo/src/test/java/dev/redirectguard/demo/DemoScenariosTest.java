package dev.redirectguard.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Runs the demo's scenarios once (the legacy application in three child JVMs on the build JDK,
 * the servers in this JVM) and checks what the demo shows: the JDK's wrong behaviour without the
 * agent, no change but log lines with mode=audit, RFC 9110 with mode=enforce.
 */
class DemoScenariosTest {
    private static DemoResult result;

    @BeforeAll
    static void runTheDemo() throws Exception {
        Path agentJar = Path.of(required("demo.agentJar"));
        // Fail, never skip: without the jar this test would prove nothing.
        assertTrue(Files.isRegularFile(agentJar), "no agent jar at " + agentJar
                + "; build it with the reactor: mvn -pl agent,demo -am verify");
        DemoSettings settings = new DemoSettings(DemoSettings.currentJava(), agentJar,
                Path.of(required("demo.appClasses")), Path.of(required("demo.workDir")));
        result = Demo.run(settings);
    }

    @Test
    void withoutTheAgentHttpUrlConnectionReturns308ToTheCaller() {
        RunRecord none = result.run(RunMode.NO_AGENT);
        Scenario upload = scenario("uploadInvoice");
        assertEquals(List.of(), none.arrivals(upload), "nothing reaches the 308 target");
        assertEquals("HTTP 308", none.appGot(upload));
    }

    @Test
    void withoutTheAgentPostRedirectGetLosesTheCredentials() {
        RunRecord none = result.run(RunMode.NO_AGENT);
        Arrival receipt = single(none.arrivals(scenario("checkout")));
        assertEquals("GET", receipt.method());
        assertFalse(receipt.authorization(), "Authorization on the same origin after 303");
        assertFalse(receipt.cookie(), "Cookie on the same origin after 303");
    }

    @Test
    void auditChangesNothingTheServersReceiveOrTheApplicationGets() {
        RunRecord none = result.run(RunMode.NO_AGENT);
        RunRecord audit = result.run(RunMode.AUDIT);
        for (Scenario s : Scenarios.ALL) {
            assertEquals(none.arrivals(s), audit.arrivals(s), s.call());
            assertEquals(none.appGot(s), audit.appGot(s), s.call());
        }
    }

    @Test
    void auditLogsTheHopsTheJdkGetsWrong() {
        AgentLogLine upload = single(result.logLines(RunMode.AUDIT, scenario("uploadInvoice")));
        assertEquals("same-method-307-308", upload.rule());
        assertEquals("observed", upload.action());
        assertEquals("none: 3xx returned", upload.jdkMethod());
        assertEquals("PUT", upload.expectedMethod());

        AgentLogLine checkout = single(result.logLines(RunMode.AUDIT, scenario("checkout")));
        assertEquals("same-origin-headers", checkout.rule());
        assertEquals("observed", checkout.action());
        assertTrue(checkout.detail().contains("authorization") && checkout.detail().contains("cookie"), checkout.detail());
        assertTrue(checkout.caller().startsWith("dev.redirectguard.demo.legacy.OrderClient."), checkout.caller());

        assertEquals(List.of(), result.logLines(RunMode.AUDIT, scenario("submitOrder")), "307 is followed right");
    }

    @Test
    void enforceDeliversWhatRfc9110AsksFor() {
        RunRecord enforce = result.run(RunMode.ENFORCE);
        for (Scenario s : Scenarios.ALL) {
            assertEquals(List.of(s.expected()), enforce.arrivals(s), s.call());
            assertEquals(Scenario.APP_EXPECTED, enforce.appGot(s), s.call());
        }
        assertEquals("corrected", single(result.logLines(RunMode.ENFORCE, scenario("uploadInvoice"))).action());
        assertEquals("corrected", single(result.logLines(RunMode.ENFORCE, scenario("checkout"))).action());
    }

    @Test
    void theSmokeChecksOfTheDemoCommandPass() {
        assertEquals(List.of(), SmokeChecks.failures(result));
    }

    private static Scenario scenario(String call) {
        return Scenarios.ALL.stream().filter(s -> s.call().equals(call)).findFirst().orElseThrow();
    }

    private static <T> T single(List<T> items) {
        assertEquals(1, items.size(), () -> "expected exactly one, got " + items);
        return items.get(0);
    }

    private static String required(String property) {
        String value = System.getProperty(property);
        assertTrue(value != null && !value.isEmpty(), "system property " + property + " is not set (surefire sets it)");
        return value;
    }
}
