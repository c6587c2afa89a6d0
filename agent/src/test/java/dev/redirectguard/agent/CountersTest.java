package dev.redirectguard.agent;

import dev.redirectguard.rules.Rule;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

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
    void unknownNamesAreIgnoredNotThrown() {
        Counters c = new Counters();
        c.count(Rule.GET_AFTER_303, "OkHttp", Reporter.OBSERVED);
        c.count(Rule.GET_AFTER_303, HucHops.CLIENT, "ignored");
        assertEquals(0, c.total(Reporter.OBSERVED));
        assertEquals(0, c.get(Rule.GET_AFTER_303, "OkHttp", Reporter.OBSERVED));
    }

    @Test
    void totalsResetAndDroppedLines() {
        Counters c = new Counters();
        c.count(Rule.GET_AFTER_303, HucHops.CLIENT, Reporter.OBSERVED);
        c.count(Rule.CROSS_ORIGIN_STRIP, "HttpClient", Reporter.OBSERVED);
        c.count(Rule.STREAMED_BODY, HucHops.CLIENT, Reporter.REFUSED);
        c.droppedLines(5);
        assertEquals(2, c.total(Reporter.OBSERVED));
        assertEquals(0, c.total(Reporter.CORRECTED));
        assertEquals(1, c.total(Reporter.REFUSED));
        assertEquals(5, c.droppedLines());
        c.reset();
        assertEquals(0, c.total(Reporter.OBSERVED) + c.total(Reporter.REFUSED) + c.droppedLines());
    }

    @Test
    void concurrentCountsAreExact() throws InterruptedException {
        Counters c = new Counters();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 4; t++) {
            Thread th = new Thread(() -> {
                for (int i = 0; i < 25_000; i++) {
                    c.count(Rule.SAME_METHOD_307_308, HucHops.CLIENT, Reporter.CORRECTED);
                }
            });
            threads.add(th);
            th.start();
        }
        for (Thread th : threads) {
            th.join();
        }
        assertEquals(100_000, c.get(Rule.SAME_METHOD_307_308, HucHops.CLIENT, Reporter.CORRECTED));
    }
}
