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
    private final RedirectPolicy policy;
    private final String stripText;

    public Settings(Mode mode, String log, RedirectPolicy.LegacyPostRedirect legacy, String stripText) {
        this.mode = mode;
        this.log = log;
        this.stripText = stripText;
        this.policy = new RedirectPolicy(legacy, new LinkedHashSet<String>(Arrays.asList(splitNames(stripText))));
    }

    public static Settings defaults() {
        return new Settings(Mode.AUDIT, DEFAULT_LOG, RedirectPolicy.LegacyPostRedirect.GET, DEFAULT_STRIP);
    }

    static String[] splitNames(String text) {
        String trimmed = text.trim();
        if (trimmed.isEmpty()) {
            return new String[0];
        }
        String[] parts = trimmed.split("\\s*;\\s*");
        return parts;
    }

    public Mode mode() {
        return mode;
    }

    public String log() {
        return log;
    }

    public RedirectPolicy policy() {
        return policy;
    }

    public Settings withMode(Mode newMode) {
        return new Settings(newMode, log, policy.legacyPostRedirect(), stripText);
    }

    /** key=value list in the agent-argument syntax, for status output. */
    @Override
    public String toString() {
        return "mode=" + mode.id() + ",log=" + log + ",legacyPostRedirect="
                + policy.legacyPostRedirect().name().toLowerCase(java.util.Locale.ROOT)
                + ",stripOnCrossOrigin=" + stripText;
    }
}
