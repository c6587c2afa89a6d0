package dev.redirectguard.config;

import dev.redirectguard.rules.Rule;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EnforceScopeTest {
    private static final String FRAME = "com.acme.legacy.OrderClient.submit(OrderClient.java:42)";

    private static EnforceScope targets(String value) {
        return EnforceScope.of("*", value, "*");
    }

    private static EnforceScope callers(String value) {
        return EnforceScope.of("*", "*", value);
    }

    private static String problem(String rules, String targets, String callers) {
        return assertThrows(IllegalArgumentException.class, () -> EnforceScope.of(rules, targets, callers))
                .getMessage();
    }

    // enforceRules

    @Test
    void everyRuleByDefaultAndByStarOrAll() {
        for (String all : new String[] {"*", "all", "ALL", " * "}) {
            EnforceScope s = EnforceScope.of(all, "*", "*");
            assertTrue(s.isEverything(), all);
            assertEquals("*", s.rules());
            for (Rule r : Rule.values()) {
                assertTrue(s.enforces(r));
            }
        }
        assertTrue(EnforceScope.everything().isEverything());
        assertEquals("enforceRules=*,enforceTargets=*,enforceCallers=*", EnforceScope.everything().toString());
    }

    @Test
    void eachRuleIdAloneEnforcesOnlyThatRule() {
        for (Rule only : Rule.values()) {
            EnforceScope s = EnforceScope.of(only.id(), "*", "*");
            assertFalse(s.isEverything());
            for (Rule r : Rule.values()) {
                assertEquals(r == only, s.enforces(r), only + " / " + r);
                assertEquals(r == only ? null : EnforceScope.RULE, s.outOfScope(r, "a.example", 443, FRAME));
            }
        }
    }

    @Test
    void ruleIdsAnyCaseSpacedDuplicatesKeptInOrder() {
        EnforceScope s = EnforceScope.of(" GET-AFTER-303 ; same-method-307-308;get-after-303", "*", "*");
        assertEquals("get-after-303;same-method-307-308", s.rules());
        assertTrue(s.enforces(Rule.GET_AFTER_303));
        assertTrue(s.enforces(Rule.SAME_METHOD_307_308));
        assertFalse(s.enforces(Rule.CROSS_ORIGIN_STRIP));
    }

    @Test
    void listingEveryRuleIsEverythingToo() {
        StringBuilder b = new StringBuilder();
        for (Rule r : Rule.values()) {
            b.append(b.length() == 0 ? "" : ";").append(r.id());
        }
        assertTrue(EnforceScope.of(b.toString(), "*", "*").isEverything());
    }

    @Test
    void emptyRulesEnforceNone() {
        EnforceScope s = EnforceScope.of("", "*", "*");
        assertEquals("", s.rules());
        for (Rule r : Rule.values()) {
            assertEquals(EnforceScope.RULE, s.outOfScope(r, "a.example", 443, FRAME));
        }
    }

    @Test
    void badRuleValues() {
        assertEquals("enforceRules 'get-after-303;get-after-330' names no rule 'get-after-330' (rule ids:"
                + " same-method-307-308, get-after-303, post-after-301-302, same-origin-headers, cross-origin-strip,"
                + " no-https-downgrade, streamed-body; or * for every rule)",
                problem("get-after-303;get-after-330", "*", "*"));
        assertEquals("enforceRules 'get-after-303;;streamed-body' has an empty entry (rule ids are separated by one ';')",
                problem("get-after-303;;streamed-body", "*", "*"));
        assertEquals("enforceRules 'get-after-303;' has an empty entry (rule ids are separated by one ';')",
                problem("get-after-303;", "*", "*"));
        assertEquals("enforceRules '*;get-after-303' mixes '*' (every rule) with rule ids",
                problem("*;get-after-303", "*", "*"));
        assertTrue(problem("GET_AFTER_303", "*", "*").startsWith("enforceRules 'GET_AFTER_303' names no rule"
                + " 'GET_AFTER_303' (rule ids: "), "enum names are not ids");
    }

    // enforceTargets

    @Test
    void hostMatchesAnyCaseAnyPortNotOtherHosts() {
        EnforceScope s = targets("API.example.com");
        assertEquals("api.example.com", s.targets());
        assertTrue(s.targetInScope("api.example.com", 443));
        assertTrue(s.targetInScope("Api.Example.COM", 8080));
        assertTrue(s.targetInScope("api.example.com", -1));
        assertTrue(s.targetInScope("api.example.com.", 443), "a fully qualified name with its root dot");
        assertFalse(s.targetInScope("api.example.co", 443));
        assertFalse(s.targetInScope("xapi.example.com", 443));
        assertFalse(s.targetInScope("a.api.example.com", 443));
        assertFalse(s.targetInScope("api.example.com.evil", 443));
        assertFalse(s.targetInScope(null, 443));
        assertFalse(s.targetInScope("", 443));
        assertEquals(EnforceScope.TARGET, s.outOfScope(Rule.GET_AFTER_303, "other.example.com", 443, FRAME));
        assertNull(s.outOfScope(Rule.GET_AFTER_303, "api.example.com", 443, FRAME));
    }

    @Test
    void hostWithPortMatchesOnlyThatEffectivePort() {
        EnforceScope s = targets("api.example.com:443;legacy:8080");
        assertTrue(s.targetInScope("api.example.com", 443), "https URL without a port: effective port 443");
        assertFalse(s.targetInScope("api.example.com", 80));
        assertFalse(s.targetInScope("api.example.com", 8443));
        assertFalse(s.targetInScope("api.example.com", -1), "an unknown port matches no port pattern");
        assertTrue(s.targetInScope("LEGACY", 8080));
        assertFalse(s.targetInScope("legacy", 80));
    }

    @Test
    void wildcardMatchesSubdomainsAtAnyDepthNotTheDomainItself() {
        EnforceScope s = targets("*.Example.com");
        assertEquals("*.example.com", s.targets());
        assertTrue(s.targetInScope("api.example.com", 443));
        assertTrue(s.targetInScope("a.b.c.EXAMPLE.com", 80));
        assertTrue(s.targetInScope("api.example.com.", 80));
        assertFalse(s.targetInScope("example.com", 443));
        assertFalse(s.targetInScope("example.com.", 443));
        assertFalse(s.targetInScope("badexample.com", 443));
        assertFalse(s.targetInScope("api.example.com.au", 443));
        assertFalse(s.targetInScope(".example.com", 443));
        EnforceScope both = targets("example.com;*.example.com");
        assertTrue(both.targetInScope("example.com", 443));
        assertTrue(both.targetInScope("www.example.com", 443));
        EnforceScope port = targets("*.example.com:8443");
        assertTrue(port.targetInScope("api.example.com", 8443));
        assertFalse(port.targetInScope("api.example.com", 443));
    }

    @Test
    void ipv4LiteralsMatchWholeAddresses() {
        EnforceScope s = targets("10.0.0.7;192.168.1.20:8080");
        assertTrue(s.targetInScope("10.0.0.7", 80));
        assertFalse(s.targetInScope("10.0.0.70", 80));
        assertFalse(s.targetInScope("110.0.0.7", 80));
        assertTrue(s.targetInScope("192.168.1.20", 8080));
        assertFalse(s.targetInScope("192.168.1.20", 80));
    }

    @Test
    void ipv6LiteralsBareOrBracketedAnyTextualForm() {
        EnforceScope s = targets("::1;[2001:DB8::7]:8443;[fe80::1]");
        assertEquals("::1;[2001:db8::7]:8443;[fe80::1]", s.targets());
        for (String host : new String[] {"::1", "[::1]", "0:0:0:0:0:0:0:1", "[0000:0000:0000::0001]"}) {
            assertTrue(s.targetInScope(host, 443), host);
            assertTrue(s.targetInScope(host, 1234), host);
        }
        assertFalse(s.targetInScope("::2", 443));
        assertFalse(s.targetInScope("1::", 443));
        assertTrue(s.targetInScope("[2001:db8:0:0:0:0:0:7]", 8443));
        assertTrue(s.targetInScope("2001:0db8::0:7", 8443));
        assertFalse(s.targetInScope("[2001:db8::7]", 443));
        assertFalse(s.targetInScope("[2001:db8::8]", 8443));
        assertTrue(s.targetInScope("[fe80::1%eth0]", 80), "the target's zone id is not compared");
        assertTrue(s.targetInScope("fe80::1%25en0", 80));
        assertFalse(s.targetInScope("[::1", 443));
        assertFalse(s.targetInScope("::1::", 443));
        assertFalse(s.targetInScope("localhost", 443));
        assertFalse(targets("localhost").targetInScope("::1", 443));
    }

    @Test
    void ipv6WithAnIpv4Tail() {
        EnforceScope s = targets("[::ffff:10.0.0.7]");
        assertTrue(s.targetInScope("::ffff:a00:7", 80));
        assertTrue(s.targetInScope("[0:0:0:0:0:ffff:10.0.0.7]", 80));
        assertFalse(s.targetInScope("10.0.0.7", 80), "an IPv4 target is not its IPv4-mapped IPv6 form");
        assertTrue(targets("1:2:3:4:5:6:7:8").targetInScope("1:2:3:4:5:6:0.7.0.8", 80));
    }

    @Test
    void ipv6ParsingEdges() {
        String[][] same = {
            {"::", "0:0:0:0:0:0:0:0"},
            {"1::", "1:0:0:0:0:0:0:0"},
            {"1:2:3:4:5:6:7::", "1:2:3:4:5:6:7:0"},
            {"::2:3:4:5:6:7:8", "0:2:3:4:5:6:7:8"},
            {"ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff", "FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF"},
            {"1:2:3:4::8", "1:2:3:4:0:0:0:8"},
        };
        for (String[] pair : same) {
            assertTrue(targets(pair[0]).targetInScope(pair[1], 80), pair[0] + " = " + pair[1]);
            assertTrue(targets(pair[1]).targetInScope(pair[0], 80), pair[1] + " = " + pair[0]);
        }
        assertFalse(targets("1:2:3:4:5:6:7:8").targetInScope("1:2:3:4:5:6:7:9", 80));
        assertFalse(targets("1:2:3:4:5:6:7:8").targetInScope("2:2:3:4:5:6:7:8", 80));
        for (String bad : new String[] {"1:2:3:4:5:6:7:8:9", ":1::", "1:::2", "12345::1", "1::2::3", "::g",
            "1:2:3:4:5:6:7", "::1.2.3", "::1.2.3.4:5", "1:2:3:4:5:6:7:1.2.3.4"}) {
            assertEquals("enforceTargets '" + bad + "' has an invalid pattern '" + bad + "' (not an IPv6 address)",
                    problem("*", bad, "*"), bad);
        }
    }

    @Test
    void starAloneIsEveryTargetEvenUnknown() {
        EnforceScope s = targets("*");
        assertTrue(s.targetInScope(null, -1));
        assertTrue(s.targetInScope("anything", 1));
        EnforceScope none = targets("");
        assertEquals("", none.targets());
        assertFalse(none.targetInScope("api.example.com", 443));
        assertEquals(EnforceScope.TARGET, none.outOfScope(Rule.GET_AFTER_303, "api.example.com", 443, FRAME));
    }

    @Test
    void mixedListsAndSpacesAroundPatterns() {
        EnforceScope s = targets(" api.example.com ; *.internal:8443;10.1.2.3; [::1]:8080 ;api.example.com");
        assertEquals("api.example.com;*.internal:8443;10.1.2.3;[::1]:8080", s.targets());
        assertTrue(s.targetInScope("api.example.com", 1));
        assertTrue(s.targetInScope("svc.internal", 8443));
        assertTrue(s.targetInScope("10.1.2.3", 443));
        assertTrue(s.targetInScope("[::1]", 8080));
        assertFalse(s.targetInScope("[::1]", 8443));
        assertTrue(targets("my_service;svc-1").targetInScope("MY_SERVICE", 80), "container names use '_'");
    }

    @Test
    void badTargetPatterns() {
        String[][] cases = {
            {"api.example.com;;b.example.com", "has an empty pattern (patterns are separated by one ';')"},
            {"api.example.com;", "has an empty pattern (patterns are separated by one ';')"},
            {"*;api.example.com", "mixes '*' (every target) with other patterns"},
            {"api.*.com", "has an invalid pattern 'api.*.com' (a '*' only as the whole value or as a leading '*.')"},
            {"*example.com", "has an invalid pattern '*example.com' (a '*' only as the whole value or as a leading '*.')"},
            {"*.*.example.com", "has an invalid pattern '*.*.example.com' (a '*' only as the whole value or as a leading '*.')"},
            {"api*", "has an invalid pattern 'api*' (a '*' only as the whole value or as a leading '*.')"},
            {"*:443", "has an invalid pattern '*:443' (a '*' only as the whole value or as a leading '*.')"},
            {"*.", "has an invalid pattern '*.' ('*.' needs a domain name after it, like *.example.com)"},
            {"*.10.0.0.1", "has an invalid pattern '*.10.0.0.1' ('*.' needs a domain name after it, like *.example.com)"},
            {"api example.com", "has an invalid pattern 'api example.com' (a space inside)"},
            {"api.example.com:", "has an invalid pattern 'api.example.com:' (port '' is not 1 to 65535)"},
            {"api.example.com:0", "has an invalid pattern 'api.example.com:0' (port '0' is not 1 to 65535)"},
            {"api.example.com:65536", "has an invalid pattern 'api.example.com:65536' (port '65536' is not 1 to 65535)"},
            {"api.example.com:0443", "has an invalid pattern 'api.example.com:0443' (port '0443' is not 1 to 65535)"},
            {"api.example.com:https", "has an invalid pattern 'api.example.com:https' (port 'https' is not 1 to 65535)"},
            {":443", "has an invalid pattern ':443' (not a host name (letters, digits, '-', '_' in labels separated by one '.'))"},
            {"a..example.com", "has an invalid pattern 'a..example.com' (not a host name (letters, digits, '-', '_' in labels separated by one '.'))"},
            {".example.com", "has an invalid pattern '.example.com' (not a host name (letters, digits, '-', '_' in labels separated by one '.'))"},
            {"example.com.", "has an invalid pattern 'example.com.' (not a host name (letters, digits, '-', '_' in labels separated by one '.'))"},
            {"http://example.com", "has an invalid pattern 'http://example.com' (port '//example.com' is not 1 to 65535)"},
            {"example.com/api", "has an invalid pattern 'example.com/api' (not a host name (letters, digits, '-', '_' in labels separated by one '.'))"},
            {"10.0.0.256", "has an invalid pattern '10.0.0.256' (not an IPv4 address (four numbers 0 to 255, no leading zeros))"},
            {"10.0.0", "has an invalid pattern '10.0.0' (not an IPv4 address (four numbers 0 to 255, no leading zeros))"},
            {"10.0.0.07", "has an invalid pattern '10.0.0.07' (not an IPv4 address (four numbers 0 to 255, no leading zeros))"},
            {"[::1", "has an invalid pattern '[::1' (no closing ']')"},
            {"[::1]8443", "has an invalid pattern '[::1]8443' (after ']' only ':port')"},
            {"[::1]:", "has an invalid pattern '[::1]:' (port '' is not 1 to 65535)"},
            {"[example.com]", "has an invalid pattern '[example.com]' (not an IPv6 address)"},
            {"[fe80::1%eth0]", "has an invalid pattern '[fe80::1%eth0]' (a zone id is not part of a pattern)"},
        };
        for (String[] c : cases) {
            assertEquals("enforceTargets '" + c[0] + "' " + c[1], problem("*", c[0], "*"), c[0]);
        }
    }

    // enforceCallers

    @Test
    void classEntryMatchesTheClassAndItsNestedClassesOnly() {
        EnforceScope s = callers("com.acme.legacy.OrderClient");
        assertTrue(s.callerInScope(FRAME));
        assertTrue(s.callerInScope("com.acme.legacy.OrderClient.<init>(OrderClient.java:10)"));
        assertTrue(s.callerInScope("com.acme.legacy.OrderClient$Retry.run(OrderClient.java:90)"));
        assertTrue(s.callerInScope("com.acme.legacy.OrderClient$$Lambda$14/0x0000000800c03000.get(Unknown Source)"));
        assertTrue(s.callerInScope("com.acme.legacy.OrderClient.lambda$submit$0(null:-1)"));
        assertFalse(s.callerInScope("com.acme.legacy.OrderClientX.submit(OrderClientX.java:1)"));
        assertFalse(s.callerInScope("com.acme.legacy.Order.submit(Order.java:1)"));
        assertFalse(s.callerInScope("com.acme.legacy.OrderClient2$Inner.submit(OrderClient2.java:1)"));
        assertFalse(s.callerInScope("com.acme.legacy.OrderClient(OrderClient.java:1)"),
                "class com.acme.legacy, method OrderClient");
        assertFalse(s.callerInScope(null), "an unknown caller matches nothing once the key is set");
        assertTrue(s.callerInScope("com.acme.legacy.OrderClient"), "a bare class name");
        assertFalse(callers("com.acme.legacy.Order").callerInScope(FRAME), "no prefix of a class name");
    }

    @Test
    void packageEntryMatchesThePackageAndSubpackages() {
        EnforceScope s = callers("com.acme.billing.");
        assertTrue(s.callerInScope("com.acme.billing.Invoices.send(Invoices.java:7)"));
        assertTrue(s.callerInScope("com.acme.billing.v2.internal.Client$1.call(Client.java:3)"));
        assertFalse(s.callerInScope("com.acme.billingx.Invoices.send(Invoices.java:7)"));
        assertFalse(s.callerInScope("com.acme.Billing.send(Billing.java:7)"), "case-sensitive");
        assertFalse(s.callerInScope("com.acme.billing.send(billing.java:7)"), "class com.acme.billing is not in it");
        assertFalse(s.callerInScope("com.acme.Other.send(com.acme.billing.java:7)"), "the file name is not the class");
        assertFalse(s.callerInScope(null));
        assertFalse(callers("com.acme.billing").callerInScope("com.acme.billing.Invoices.send(Invoices.java:7)"),
                "without the trailing '.' it names a class");
    }

    @Test
    void severalEntriesStarAndEmpty() {
        EnforceScope s = callers(" com.acme.billing. ;com.acme.legacy.OrderClient;Main;com.acme.billing.");
        assertEquals("com.acme.billing.;com.acme.legacy.OrderClient;Main", s.callers());
        assertTrue(s.callerInScope(FRAME));
        assertTrue(s.callerInScope("com.acme.billing.X.y(X.java:1)"));
        assertTrue(s.callerInScope("Main.main(Main.java:5)"), "the unnamed package");
        assertFalse(s.callerInScope("com.acme.shop.Cart.add(Cart.java:1)"));
        assertEquals(EnforceScope.CALLER, s.outOfScope(Rule.GET_AFTER_303, "h", 80, "com.acme.shop.Cart.add(Cart.java:1)"));
        assertEquals(EnforceScope.CALLER, s.outOfScope(Rule.GET_AFTER_303, "h", 80, null));
        assertTrue(callers("*").callerInScope(null), "the default takes an unknown caller too");
        assertFalse(callers("").callerInScope(FRAME));
        assertEquals("", callers("").callers());
    }

    @Test
    void badCallerEntries() {
        String[][] cases = {
            {"com.acme.*", "has an invalid entry 'com.acme.*' (for a package and its subpackages write 'com.acme.')"},
            {"com..acme.", "has an invalid entry 'com..acme.' (a package ending in '.' like com.acme.billing., or a class like com.acme.legacy.OrderClient)"},
            {".com.acme", "has an invalid entry '.com.acme' (a package ending in '.' like com.acme.billing., or a class like com.acme.legacy.OrderClient)"},
            {"com.acme.Order Client", "has an invalid entry 'com.acme.Order Client' (a package ending in '.' like com.acme.billing., or a class like com.acme.legacy.OrderClient)"},
            {"com.1acme.", "has an invalid entry 'com.1acme.' (a package ending in '.' like com.acme.billing., or a class like com.acme.legacy.OrderClient)"},
            {"com/acme/Order", "has an invalid entry 'com/acme/Order' (a package ending in '.' like com.acme.billing., or a class like com.acme.legacy.OrderClient)"},
            {".", "has an invalid entry '.' (a package ending in '.' like com.acme.billing., or a class like com.acme.legacy.OrderClient)"},
            {"com.acme.;;com.x.", "has an empty entry (entries are separated by one ';')"},
            {"*;com.acme.", "mixes '*' (every caller) with other entries"},
        };
        for (String[] c : cases) {
            assertEquals("enforceCallers '" + c[0] + "' " + c[1], problem("*", "*", c[0]), c[0]);
        }
    }

    // the three together

    @Test
    void checkedInOrderRuleTargetCaller() {
        EnforceScope s = EnforceScope.of("same-method-307-308", "api.example.com", "com.acme.legacy.");
        String out = "com.acme.shop.Cart.add(Cart.java:1)";
        assertEquals(EnforceScope.RULE, s.outOfScope(Rule.GET_AFTER_303, "elsewhere", 80, out));
        assertEquals(EnforceScope.TARGET, s.outOfScope(Rule.SAME_METHOD_307_308, "elsewhere", 80, out));
        assertEquals(EnforceScope.CALLER, s.outOfScope(Rule.SAME_METHOD_307_308, "api.example.com", 80, out));
        assertNull(s.outOfScope(Rule.SAME_METHOD_307_308, "api.example.com", 80, FRAME));
        assertFalse(s.isEverything());
        assertNull(EnforceScope.everything().outOfScope(Rule.STREAMED_BODY, null, -1, null));
    }

    @Test
    void equalWhenWrittenAlike() {
        assertEquals(EnforceScope.of("ALL", "API.example.com", "com.acme."), EnforceScope.of("*", "api.example.com", "com.acme."));
        assertEquals(EnforceScope.of("*", "*", "*"), EnforceScope.everything());
        assertFalse(EnforceScope.of("*", "a.example", "*").equals(EnforceScope.of("*", "b.example", "*")));
        assertFalse(EnforceScope.of("*", "", "*").equals(EnforceScope.everything()));
    }

    /**
     * The hooks ask once per broken rule of every hop, on the application's threads: no garbage. Counted
     * with the thread's allocation counter over many calls (no timing), so any per-call object shows.
     */
    @Test
    void matchingAllocatesNothing() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        EnforceScope everything = EnforceScope.everything();
        EnforceScope narrow = EnforceScope.of("same-method-307-308;get-after-303",
                "api.example.com:443;*.internal;10.0.0.7;[2001:db8::7]:8443", "com.acme.billing.;com.acme.legacy.OrderClient");
        Rule[] rules = Rule.values();
        String[] hosts = {"api.example.com", "svc.a.internal", "10.0.0.7", "[2001:db8::7]", "2001:db8:0:0:0:0:0:8", "x.org"};
        String[] frames = {FRAME, "com.acme.billing.X.y(X.java:1)", "com.acme.shop.Cart.add(Cart.java:1)", null};
        int sink = 0;
        for (int warm = 0; warm < 2; warm++) {
            long before = threads.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < 20_000; i++) {
                Rule r = rules[i % rules.length];
                String h = hosts[i % hosts.length];
                String f = frames[i % frames.length];
                sink += everything.outOfScope(r, h, 443, f) == null ? 1 : 0;
                String why = narrow.outOfScope(r, h, i % 2 == 0 ? 443 : 8443, f);
                sink += why == null ? 1 : why.length();
            }
            long allocated = threads.getCurrentThreadAllocatedBytes() - before;
            if (warm == 1) {
                assertTrue(allocated < 4096, allocated + " bytes for 40000 checks");
            }
        }
        assertTrue(sink > 0);
    }
}
