package dev.redirectguard.rewrite;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one rewrite expects of a class and what it found: counts of the instruction patterns it
 * edited, checked once the class is written. Any difference leaves the class untouched.
 */
final class Shape {
    private final Map<String, int[]> expected = new LinkedHashMap<String, int[]>();
    private final Map<String, Integer> found = new LinkedHashMap<String, Integer>();
    private final List<String> problems = new ArrayList<String>();

    /** Expects {@code min} to {@code max} matches of {@code what}. */
    void expect(String what, int min, int max) {
        expected.put(what, new int[] {min, max});
    }

    void expectExactly(String what, int n) {
        expect(what, n, n);
    }

    void found(String what) {
        Integer n = found.get(what);
        found.put(what, n == null ? 1 : n + 1);
    }

    void problem(String p) {
        problems.add(p);
    }

    boolean hasProblems() {
        return !problems.isEmpty();
    }

    void check() throws ShapeException {
        List<String> all = new ArrayList<String>(problems);
        for (Map.Entry<String, int[]> e : expected.entrySet()) {
            Integer n = found.get(e.getKey());
            int count = n == null ? 0 : n;
            int[] range = e.getValue();
            if (count < range[0] || count > range[1]) {
                all.add(e.getKey() + ": expected " + (range[0] == range[1] ? String.valueOf(range[0])
                        : range[0] + ".." + (range[1] == Integer.MAX_VALUE ? "n" : String.valueOf(range[1])))
                        + ", found " + count);
            }
        }
        if (!all.isEmpty()) {
            throw new ShapeException(all);
        }
    }
}
