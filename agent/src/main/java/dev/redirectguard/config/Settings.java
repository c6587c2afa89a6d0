package dev.redirectguard.config;

import dev.redirectguard.rules.RedirectPolicy;

import java.util.Arrays;
import java.util.LinkedHashSet;

/** The agent's effective settings. Immutable; a mode switch makes a new instance. */
public final class Settings {
    public static final String DEFAULT_LOG = "stderr";
    public static final String DEFAULT_STRIP = "Authorization;Cookie";

    private final Mode mode;
    private final String log;
    private final RedirectPolicy.LegacyPostRedirect legacy;
    private final String stripText;
    /** Derived on first use, so that start-up loads none of the rules. */
    private volatile RedirectPolicy policy;

    public Settings(Mode mode, String log, RedirectPolicy.LegacyPostRedirect legacy, String stripText) {
        this.mode = mode;
        this.log = log;
        this.legacy = legacy;
        this.stripText = stripText;
    }

    public static Settings defaults() {
        return new Settings(Mode.AUDIT, DEFAULT_LOG, RedirectPolicy.LegacyPostRedirect.GET, DEFAULT_STRIP);
    }

    static String[] splitNames(String text) {
        String trimmed = text.trim();
        if (trimmed.isEmpty()) {
            return new String[0];
        }
        String[] parts = trimmed.split(";");
        for (int i = 0; i < parts.length; i++) {
            parts[i] = parts[i].trim();
        }
        return parts;
    }

    public Mode mode() {
        return mode;
    }

    public String log() {
        return log;
    }

    public RedirectPolicy policy() {
        RedirectPolicy p = policy;
        if (p == null) {
            p = new RedirectPolicy(legacy, new LinkedHashSet<String>(Arrays.asList(splitNames(stripText))));
            policy = p;
        }
        return p;
    }

    public Settings withMode(Mode newMode) {
        return new Settings(newMode, log, legacy, stripText);
    }

    /** key=value list in the agent-argument syntax, for status output. */
    @Override
    public String toString() {
        return "mode=" + mode.id() + ",log=" + log + ",legacyPostRedirect="
                + legacy.name().toLowerCase(java.util.Locale.ROOT)
                + ",stripOnCrossOrigin=" + stripText;
    }
}
