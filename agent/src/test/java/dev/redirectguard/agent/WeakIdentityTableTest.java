package dev.redirectguard.agent;

import org.junit.jupiter.api.Test;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class WeakIdentityTableTest {
    @Test
    void keysByIdentityNotByEquals() {
        WeakIdentityTable<String> table = new WeakIdentityTable<>();
        String a = new String("same");
        String b = new String("same");
        table.put(a, "a");
        table.put(b, "b");
        assertEquals("a", table.get(a));
        assertEquals("b", table.get(b));
        assertNull(table.get(new String("same")));
        assertNull(table.get(null));
        table.put(a, "a2");
        assertEquals("a2", table.get(a));
        assertEquals(2, table.size());
    }

    /** Entries whose keys were collected go as later entries come, a bounded number per put. */
    @Test
    void entriesOfCollectedKeysAreDroppedByLaterPuts() throws Exception {
        WeakIdentityTable<String> table = new WeakIdentityTable<>();
        int stale = 3 * WeakIdentityTable.DRAIN;
        List<WeakReference<Object>> gone = new ArrayList<>();
        for (int i = 0; i < stale; i++) {
            Object key = new Object();
            gone.add(new WeakReference<>(key));
            table.put(key, "v" + i);
        }
        assertEquals(stale, table.size());
        Object kept = new Object();
        table.put(kept, "kept");
        // Wait for the event (every key collected), not for a time.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (gone.stream().anyMatch(r -> r.get() != null) && System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(10);
        }
        assertTrue(gone.stream().allMatch(r -> r.get() == null), "keys not collected within 60 s");
        // The collector enqueues the cleared entries on its own thread: put until they are all dropped.
        int puts = 0;
        while (table.size() > 1 && System.nanoTime() < deadline) {
            table.put(kept, "kept");
            puts++;
            if (table.size() > 1) {
                Thread.sleep(1);
            }
        }
        assertEquals(1, table.size());
        assertEquals("kept", table.get(kept));
        assertTrue(puts >= 3, "each put drops at most " + WeakIdentityTable.DRAIN + " stale entries: " + puts + " puts");
    }
}
