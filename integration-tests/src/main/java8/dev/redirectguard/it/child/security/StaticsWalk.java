package dev.redirectguard.it.child.security;

import java.lang.instrument.Instrumentation;
import java.lang.ref.Reference;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * What application code reaches by reflection from a class's static fields: fields of objects
 * (made accessible where the JVM lets the application), array elements, the entries of maps and
 * collections through their public API, and referents, breadth first to a bounded depth. A
 * finding is an {@link Instrumentation}, the agent's class loader, or an object or {@code Class}
 * of that loader: any of them is a handle on the agent's state.
 */
final class StaticsWalk {
    private final String agentLoaderClass;
    private final int maxDepth;
    private final int maxObjects;
    private final IdentityHashMap<Object, Boolean> seen = new IdentityHashMap<Object, Boolean>();
    private final ArrayDeque<Object[]> queue = new ArrayDeque<Object[]>();
    private final List<String> findings = new ArrayList<String>();
    private int staticFields;
    private int inaccessibleFields;
    private boolean truncated;

    StaticsWalk(String agentLoaderClass, int maxDepth, int maxObjects) {
        this.agentLoaderClass = agentLoaderClass;
        this.maxDepth = maxDepth;
        this.maxObjects = maxObjects;
    }

    void fromStatics(Class<?> c) {
        for (Field f : declaredFields(c)) {
            if (!Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) {
                continue;
            }
            staticFields++;
            Object value = read(f, null);
            if (value != NOT_READ) {
                enqueue(value, 1, c.getName() + "." + f.getName());
            }
        }
        drain();
    }

    String summary() {
        return "static fields " + staticFields + ", objects " + seen.size() + ", fields the JVM kept closed "
                + inaccessibleFields + (truncated ? ", TRUNCATED at " + maxObjects : "") + ", findings "
                + (findings.isEmpty() ? "none" : findings.toString());
    }

    private static final Object NOT_READ = new Object();

    private Object read(Field f, Object owner) {
        try {
            f.setAccessible(true);
            return f.get(owner);
        } catch (Throwable t) {
            inaccessibleFields++;
            return NOT_READ;
        }
    }

    private static Field[] declaredFields(Class<?> c) {
        try {
            return c.getDeclaredFields();
        } catch (Throwable t) {
            return new Field[0];
        }
    }

    private void enqueue(Object value, int depth, String path) {
        if (value == null || seen.containsKey(value)) {
            return;
        }
        if (seen.size() >= maxObjects) {
            truncated = true;
            return;
        }
        seen.put(value, Boolean.TRUE);
        judge(value, path);
        if (depth < maxDepth) {
            queue.add(new Object[] {value, depth, path});
        }
    }

    private void judge(Object value, String path) {
        if (value instanceof Instrumentation) {
            findings.add("Instrumentation at " + path);
        }
        if (isAgentLoader(value)) {
            findings.add("the agent's class loader at " + path);
        }
        if (value instanceof Class && isAgentLoader(((Class<?>) value).getClassLoader())) {
            findings.add("agent class " + ((Class<?>) value).getName() + " at " + path);
        } else if (isAgentLoader(value.getClass().getClassLoader())) {
            findings.add("agent object " + value.getClass().getName() + " at " + path);
        }
    }

    private boolean isAgentLoader(Object o) {
        for (Class<?> c = o == null ? null : o.getClass(); c != null; c = c.getSuperclass()) {
            if (c.getName().equals(agentLoaderClass)) {
                return true;
            }
        }
        return false;
    }

    private void drain() {
        for (Object[] next; (next = queue.poll()) != null; ) {
            Object o = next[0];
            int depth = (Integer) next[1];
            String path = (String) next[2];
            if (o instanceof Class) {
                continue; // a class of the JDK or the application: not the agent's (judged above)
            }
            if (o.getClass().isArray()) {
                if (!o.getClass().getComponentType().isPrimitive()) {
                    for (int i = 0, n = Array.getLength(o); i < n; i++) {
                        enqueue(Array.get(o, i), depth + 1, path + "[" + i + "]");
                    }
                }
                continue;
            }
            try {
                if (o instanceof Map) {
                    for (Map.Entry<?, ?> e : ((Map<?, ?>) o).entrySet()) {
                        enqueue(e.getKey(), depth + 1, path + ".key");
                        enqueue(e.getValue(), depth + 1, path + "[" + e.getKey() + "]");
                    }
                } else if (o instanceof Collection) {
                    int i = 0;
                    for (Object element : (Collection<?>) o) {
                        enqueue(element, depth + 1, path + "(" + i++ + ")");
                    }
                } else if (o instanceof Reference) {
                    enqueue(((Reference<?>) o).get(), depth + 1, path + ".get()");
                }
            } catch (Throwable t) {
                // a collection that cannot be iterated here: its fields are still walked below
            }
            for (Class<?> c = o.getClass(); c != null; c = c.getSuperclass()) {
                for (Field f : declaredFields(c)) {
                    if (Modifier.isStatic(f.getModifiers()) || f.getType().isPrimitive()) {
                        continue;
                    }
                    Object value = read(f, o);
                    if (value != NOT_READ) {
                        enqueue(value, depth + 1, path + "." + f.getName());
                    }
                }
            }
        }
    }
}
