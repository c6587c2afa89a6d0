package dev.redirectguard.config;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code enforceCallers} setting: which callers enforce applies to, by the class of the hop's
 * caller frame ({@code com.acme.legacy.OrderClient.submit(OrderClient.java:42)}). Entries
 * separated by {@code ;}, case-sensitive as Java names are:
 * <ul>
 * <li>ending with '.', a package: {@code com.acme.billing.} matches every class in that package
 *     and its subpackages;</li>
 * <li>otherwise a class: {@code com.acme.legacy.OrderClient} matches that class and the classes
 *     nested in it or made for it ({@code OrderClient$Retry}, {@code OrderClient$$Lambda...}), not
 *     {@code com.acme.legacy.OrderClientX}: the class name equals the entry or continues with '$';</li>
 * <li>{@code *} alone: every caller, an unknown one included (the default). Empty: no caller.</li>
 * </ul>
 * When set to anything but {@code *}, a hop whose caller is unknown matches none.
 */
final class EnforceCallers {
    static final EnforceCallers ALL = new EnforceCallers(true, new String[0], new String[0], "*");
    static final EnforceCallers NONE = new EnforceCallers(false, new String[0], new String[0], "");

    private final boolean all;
    /** "com.acme.billing.": the frame's class name starts with it. */
    private final String[] packages;
    /** "com.acme.legacy.OrderClient": the frame's class name is it, or starts with it and '$'. */
    private final String[] classes;
    private final String text;

    private EnforceCallers(boolean all, String[] packages, String[] classes, String text) {
        this.all = all;
        this.packages = packages;
        this.classes = classes;
        this.text = text;
    }

    /** @throws IllegalArgumentException with the rest of the error line ("has an invalid entry ...") */
    static EnforceCallers parse(String value) {
        String trimmed = value.trim();
        if (trimmed.equals("*")) {
            return ALL;
        }
        if (trimmed.isEmpty()) {
            return NONE;
        }
        List<String> packages = new ArrayList<String>();
        List<String> classes = new ArrayList<String>();
        Set<String> seen = new LinkedHashSet<String>();
        for (String raw : trimmed.split(";", -1)) {
            String entry = raw.trim();
            if (entry.isEmpty()) {
                throw new IllegalArgumentException("has an empty entry (entries are separated by one ';')");
            }
            if (entry.equals("*")) {
                throw new IllegalArgumentException("mixes '*' (every caller) with other entries");
            }
            if (!seen.add(entry)) {
                continue;
            }
            if (entry.endsWith(".*")) {
                throw invalid(entry, "for a package and its subpackages write '"
                        + entry.substring(0, entry.length() - 1) + "'");
            }
            boolean isPackage = entry.endsWith(".");
            String name = isPackage ? entry.substring(0, entry.length() - 1) : entry;
            if (!isDottedName(name)) {
                throw invalid(entry, "a package ending in '.' like com.acme.billing., or a class like"
                        + " com.acme.legacy.OrderClient");
            }
            (isPackage ? packages : classes).add(entry);
        }
        StringBuilder text = new StringBuilder();
        for (String e : seen) {
            text.append(text.length() == 0 ? "" : ";").append(e);
        }
        return new EnforceCallers(false, packages.toArray(new String[0]), classes.toArray(new String[0]),
                text.toString());
    }

    private static IllegalArgumentException invalid(String entry, String why) {
        return new IllegalArgumentException("has an invalid entry '" + entry + "' (" + why + ")");
    }

    /** Java identifiers separated by one '.'. */
    private static boolean isDottedName(String s) {
        boolean start = true;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '.') {
                if (start) {
                    return false;
                }
                start = true;
            } else if (start ? Character.isJavaIdentifierStart(c) : Character.isJavaIdentifierPart(c)) {
                start = false;
            } else {
                return false;
            }
        }
        return !start;
    }

    boolean all() {
        return all;
    }

    /**
     * @param frame {@code Class.method(File:line)} as log lines give it, or a bare class name;
     *              null when the caller is unknown
     */
    boolean matches(String frame) {
        if (all) {
            return true;
        }
        if (frame == null) {
            return false;
        }
        // The class name ends at the last '.' before '(' (method names contain no '.').
        int paren = frame.indexOf('(');
        int end = paren < 0 ? frame.length() : frame.lastIndexOf('.', paren);
        for (String p : packages) {
            if (p.length() <= end && frame.startsWith(p)) {
                return true;
            }
        }
        for (String c : classes) {
            int n = c.length();
            if (n <= end && frame.startsWith(c) && (n == end || frame.charAt(n) == '$')) {
                return true;
            }
        }
        return false;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EnforceCallers && ((EnforceCallers) o).text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }
}
