package dev.redirectguard.config;

import dev.redirectguard.rules.Rule;

import java.util.Locale;

/**
 * The {@code enforceRules} setting: the rules that enforce makes true. Rule ids separated by
 * {@code ;} (any case), {@code *} or {@code all} for every rule, empty for none. A bit per rule,
 * so asking costs one AND.
 */
final class EnforceRules {
    /**
     * Every bit, not just the rules' bits: the default then needs no {@link Rule} loaded, and
     * start-up loads none of the rules.
     */
    private static final int EVERY = -1;
    static final EnforceRules ALL = new EnforceRules(EVERY, "*");
    static final EnforceRules NONE = new EnforceRules(0, "");

    private final int mask;
    /** The setting in canonical form: as given, ids lower-case, duplicates left out. */
    private final String text;

    private EnforceRules(int mask, String text) {
        this.mask = mask;
        this.text = text;
    }

    /** @throws IllegalArgumentException with the rest of the error line ("names no rule ...") */
    static EnforceRules parse(String value) {
        String trimmed = value.trim();
        if (trimmed.equals("*") || trimmed.equalsIgnoreCase("all")) {
            return ALL;
        }
        if (trimmed.isEmpty()) {
            return NONE;
        }
        int mask = 0;
        StringBuilder text = new StringBuilder();
        for (String part : trimmed.split(";", -1)) {
            String id = part.trim();
            if (id.isEmpty()) {
                throw new IllegalArgumentException("has an empty entry (rule ids are separated by one ';')");
            }
            if (id.equals("*") || id.equalsIgnoreCase("all")) {
                throw new IllegalArgumentException("mixes '" + id + "' (every rule) with rule ids");
            }
            Rule rule = byId(id);
            if (rule == null) {
                throw new IllegalArgumentException("names no rule '" + id + "' (rule ids: " + ids()
                        + "; or * for every rule)");
            }
            int bit = 1 << rule.ordinal();
            if ((mask & bit) == 0) {
                mask |= bit;
                text.append(text.length() == 0 ? "" : ";").append(rule.id());
            }
        }
        if (mask == (1 << Rule.values().length) - 1) {
            mask = EVERY; // every id listed: as fast as the default
        }
        return new EnforceRules(mask, text.toString());
    }

    private static Rule byId(String id) {
        String lower = id.toLowerCase(Locale.ROOT);
        for (Rule r : Rule.values()) {
            if (r.id().equals(lower)) {
                return r;
            }
        }
        return null;
    }

    private static String ids() {
        StringBuilder b = new StringBuilder();
        for (Rule r : Rule.values()) {
            b.append(b.length() == 0 ? "" : ", ").append(r.id());
        }
        return b.toString();
    }

    boolean contains(Rule rule) {
        return (mask & (1 << rule.ordinal())) != 0;
    }

    boolean all() {
        return mask == EVERY;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof EnforceRules && ((EnforceRules) o).text.equals(text);
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
