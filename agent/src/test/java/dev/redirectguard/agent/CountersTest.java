package dev.redirectguard.agent;

import dev.redirectguard.rules.Rule;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;

import static org.junit.jupiter.api.Assertions.assertEquals;

class CountersTest {
    @Test
    void eachRuleClientActionHasItsOwnCounter() {
        Counters c = new Counters();
        int n = 1;
        for (Rule r : Rule.values()) {
            for (String client : Counters.CLIENTS) {
                for (String action : Counters.ACTIONS) {
                    for (int i = 0; i < n; i++) {
                        c.count(r, client, action);
                    }
                    n++;
                }
            }
        }
        n = 1;
        for (Rule r : Rule.values()) {
            for (String client : Counters.CLIENTS) {
                for (String action : Counters.ACTIONS) {
                    assertEquals(n++, c.get(r, client, action), r + " " + client + " " + action);
                }
            }
        }
    }

    @Test
    void eachScopeHasItsOwnCounterAndNoScopeIsNone() {
        Counters c = new Counters();
        long n = 1;
        for (String scope : Counters.SCOPES) {
            for (int i = 0; i < n; i++) {
                c.count(Rule.GET_AFTER_303, "HttpClient", Reporter.OBSERVED, scope);
            }
            n++;
        }
        c.count(Rule.GET_AFTER_303, "HttpClient", Reporter.OBSERVED);
        c.count(Rule.GET_AFTER_303, "HttpClient", Reporter.OBSERVED, null);
        assertEquals(3, c.get(Rule.GET_AFTER_303, "HttpClient", Reporter.OBSERVED), "no scope: none");
        assertEquals(3, c.get(Rule.GET_AFTER_303, "HttpClient", Reporter.OBSERVED, null));
        assertEquals(3, c.get(Rule.GET_AFTER_303, "HttpClient", Reporter.OBSERVED, Counters.NO_SCOPE));
        assertEquals(2, c.get(Rule.GET_AFTER_303, "HttpClient", Reporter.OBSERVED, "rule"));
        assertEquals(3, c.get(Rule.GET_AFTER_303, "HttpClient", Reporter.OBSERVED, "target"));
        assertEquals(4, c.get(Rule.GET_AFTER_303, "HttpClient", Reporter.OBSERVED, "caller"));
        assertEquals(0, c.get(Rule.GET_AFTER_303, HucHops.CLIENT, Reporter.OBSERVED, "caller"));
        assertEquals(12, c.total(Reporter.OBSERVED), "totals add every scope");
        c.count(Rule.GET_AFTER_303, "HttpClient", Reporter.OBSERVED, "everything");
        assertEquals(12, c.total(Reporter.OBSERVED), "an unknown scope is not counted");
        assertEquals(0, c.get(Rule.GET_AFTER_303, "HttpClient", Reporter.OBSERVED, "everything"));
    }

    @Test
    void unknownNamesAreIgnoredNotThrown() {
        Counters c = new Counters();
        c.count(Rule.GET_AFTER_303, "OkHttp", Reporter.OBSERVED);
        c.count(Rule.GET_AFTER_303, HucHops.CLIENT, "ignored");
        assertEquals(0, c.total(Reporter.OBSERVED));
        assertEquals(0, c.total("ignored"));
        assertEquals(0, c.get(Rule.GET_AFTER_303, "OkHttp", Reporter.OBSERVED));
    }

    @Test
    void totalsResetAndDroppedLines() {
        Counters c = new Counters();
        c.count(Rule.GET_AFTER_303, HucHops.CLIENT, Reporter.OBSERVED);
        c.count(Rule.CROSS_ORIGIN_STRIP, "HttpClient", Reporter.OBSERVED);
        c.count(Rule.STREAMED_BODY, HucHops.CLIENT, Reporter.REFUSED);
        c.count(Rule.STREAMED_BODY, HucHops.CLIENT, Reporter.OBSERVED, "rule");
        c.droppedLines(5);
        assertEquals(3, c.total(Reporter.OBSERVED));
        assertEquals(0, c.total(Reporter.CORRECTED));
        assertEquals(1, c.total(Reporter.REFUSED));
        assertEquals(5, c.droppedLines());
        c.reset();
        assertEquals(0, c.total(Reporter.OBSERVED) + c.total(Reporter.REFUSED) + c.droppedLines());
        assertEquals(0, c.get(Rule.STREAMED_BODY, HucHops.CLIENT, Reporter.OBSERVED, "rule"));
    }

    @Test
    void concurrentCountsAreExact() throws Exception {
        Counters c = new Counters();
        List<Thread> threads = new ArrayList<>();
        CyclicBarrier start = new CyclicBarrier(4);
        for (int t = 0; t < 4; t++) {
            Thread th = new Thread(() -> {
                try {
                    start.await();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                for (int i = 0; i < 25_000; i++) {
                    c.count(Rule.SAME_METHOD_307_308, HucHops.CLIENT, Reporter.CORRECTED);
                    c.droppedLines(1);
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join();
        }
        assertEquals(100_000, c.get(Rule.SAME_METHOD_307_308, HucHops.CLIENT, Reporter.CORRECTED));
        assertEquals(100_000, c.droppedLines());
    }
}
