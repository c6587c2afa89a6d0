package dev.redirectguard.agent;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.HashMap;
import java.util.Map;

/**
 * A small map with weak keys compared by identity. java.net.http requests define equals() by
 * content, so WeakHashMap would merge two identical requests made by different callers.
 */
final class WeakIdentityMap<K, V> {
    private final Map<IdentityRef<K>, V> map = new HashMap<IdentityRef<K>, V>();
    private final ReferenceQueue<K> queue = new ReferenceQueue<K>();

    synchronized void put(K key, V value) {
        expunge();
        map.put(new IdentityRef<K>(key, queue), value);
    }

    synchronized V get(K key) {
        expunge();
        return map.get(new IdentityRef<K>(key, null));
    }

    private void expunge() {
        Object ref;
        while ((ref = queue.poll()) != null) {
            map.remove(ref);
        }
    }

    private static final class IdentityRef<K> extends WeakReference<K> {
        private final int hash;

        IdentityRef(K referent, ReferenceQueue<K> queue) {
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
            if (!(o instanceof IdentityRef)) {
                return false;
            }
            Object mine = get();
            return mine != null && mine == ((IdentityRef<?>) o).get();
        }
    }
}
