package dev.redirectguard.agent;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Values by the identity of a key that is held weakly: an entry lives as long as its key and no
 * longer. Concurrent without a table-wide lock; entries of collected keys are dropped as later
 * ones are added. (java.net.http objects define equals() by content, so a WeakHashMap would merge
 * two identical requests of different callers.)
 */
final class WeakIdentityTable<V> {
    private final ConcurrentHashMap<Object, V> map = new ConcurrentHashMap<Object, V>();
    private final ReferenceQueue<Object> queue = new ReferenceQueue<Object>();

    void put(Object key, V value) {
        for (Object stale; (stale = queue.poll()) != null; ) {
            map.remove(stale);
        }
        map.put(new WeakKey(key, queue), value);
    }

    V get(Object key) {
        return key == null ? null : map.get(new Probe(key));
    }

    int size() {
        return map.size();
    }

    private static final class WeakKey extends WeakReference<Object> {
        private final int hash;

        WeakKey(Object referent, ReferenceQueue<Object> queue) {
            super(referent, queue);
            this.hash = System.identityHashCode(referent);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            if (this == o) {
                return true;
            }
            Object mine = get();
            return mine != null && (o instanceof WeakKey ? ((WeakKey) o).get() == mine
                    : o instanceof Probe && ((Probe) o).key == mine);
        }
    }

    /** A lookup key: no reference object for a get. */
    private static final class Probe {
        private final Object key;

        Probe(Object key) {
            this.key = key;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(key);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof WeakKey && ((WeakKey) o).get() == key;
        }
    }
}
