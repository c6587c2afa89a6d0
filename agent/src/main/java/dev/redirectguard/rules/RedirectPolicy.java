package dev.redirectguard.rules;

import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/** The choices the rules leave to the operator. Immutable. */
public final class RedirectPolicy {
    /** Rule 3: what POST becomes after 301/302. */
    public enum LegacyPostRedirect { GET, PRESERVE }

    private final LegacyPostRedirect legacyPostRedirect;
    private final Set<String> stripOnCrossOrigin;

    public RedirectPolicy(LegacyPostRedirect legacyPostRedirect, Set<String> stripOnCrossOrigin) {
        this.legacyPostRedirect = legacyPostRedirect;
        Set<String> lower = new LinkedHashSet<String>();
        for (String name : stripOnCrossOrigin) {
            lower.add(name.toLowerCase(Locale.ROOT));
        }
        this.stripOnCrossOrigin = Collections.unmodifiableSet(lower);
    }

    public LegacyPostRedirect legacyPostRedirect() {
        return legacyPostRedirect;
    }

    /** Lower-case header names. */
    public Set<String> stripOnCrossOrigin() {
        return stripOnCrossOrigin;
    }

    public boolean strips(String headerName) {
        return stripOnCrossOrigin.contains(headerName.toLowerCase(Locale.ROOT));
    }
}
