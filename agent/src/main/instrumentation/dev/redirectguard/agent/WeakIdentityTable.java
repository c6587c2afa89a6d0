package dev.redirectguard.agent;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Values by the identity of a key that is held weakly: an entry lives as long as its key and no
 * longer. Concurrent without a table-wide lock; entries of collected keys are dropped as later
 * ones are added, by one adding thread at a time. (java.net.http objects define equals() by
 * content, so a WeakHashMap would merge two identical requests of different callers.)
 */
final class WeakIdentityTable<V> {
    /** Stale entries dropped per put at most: no single put pays for a whole collection's worth. */
    static final int DRAIN = 256;
    private final ConcurrentHashMap<Object, V> map = new ConcurrentHashMap<Object, V>();
    private final ReferenceQueue<Object> queue = new ReferenceQueue<Object>();
    /**
     * One thread drains at a time, the others go on: a reference queue's poll takes the queue's
     * lock once it holds anything, and after a collection 64 senders all polling it queued there.
     */
    private final AtomicBoolean draining = new AtomicBoolean();

    void put(Object key, V value) {
        if (draining.compareAndSet(false, true)) {
            try {
                Object stale;
                for (int i = 0; i < DRAIN && (stale = queue.poll()) != null; i++) {
                    map.remove(stale);
                }
            } finally {
                draining.set(false);
            }
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
