package dev.redirectguard.config;

import java.util.Locale;

/** off: nothing installed; audit: log only, behaviour unchanged; enforce: correct and log. */
public enum Mode {
    OFF, AUDIT, ENFORCE;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** @return null when the text names no mode */
    public static Mode parse(String text) {
        for (Mode m : values()) {
            if (m.id().equalsIgnoreCase(text.trim())) {
                return m;
            }
        }
        return null;
    }
}
