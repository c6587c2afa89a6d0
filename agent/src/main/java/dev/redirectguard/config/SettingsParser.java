package dev.redirectguard.config;

import dev.redirectguard.rules.RedirectPolicy.LegacyPostRedirect;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;

/**
 * Reads the settings from agent arguments, then system properties ({@code redirectguard.<key>}),
 * then the environment ({@code REDIRECTGUARD_<KEY>}), then defaults. A bad key or value never
 * stops the JVM: it becomes one error line, its default is used, and an enforce request falls
 * back to audit, since enforcing a half-read configuration could surprise.
 */
public final class SettingsParser {
    public static final String PROPERTY_PREFIX = "redirectguard.";
    public static final String ENV_PREFIX = "REDIRECTGUARD_";
    static final String[] KEYS = {"mode", "log", "legacyPostRedirect", "stripOnCrossOrigin", "jmx"};

    private SettingsParser() {
    }

    /**
     * @param errors receives one line per problem found (nothing when all was well)
     */
    public static Settings parse(String agentArgs, Properties systemProperties, Map<String, String> env,
                                 List<String> errors) {
        Map<String, String> values = new LinkedHashMap<String, String>();
        Map<String, String> origin = new LinkedHashMap<String, String>();
        // Lowest precedence first, so later sources overwrite.
        for (String key : KEYS) {
            String v = env.get(ENV_PREFIX + key.toUpperCase(Locale.ROOT));
            if (v != null) {
                values.put(key, v);
                origin.put(key, "environment variable " + ENV_PREFIX + key.toUpperCase(Locale.ROOT));
            }
        }
        for (String name : systemProperties.stringPropertyNames()) {
            if (!name.startsWith(PROPERTY_PREFIX)) {
                continue;
            }
            String key = canonicalKey(name.substring(PROPERTY_PREFIX.length()));
            if (key == null) {
                errors.add("unknown system property " + name + " (known keys: " + knownKeys() + ")");
                continue;
            }
            values.put(key, systemProperties.getProperty(name));
            origin.put(key, "system property " + name);
        }
        if (agentArgs != null && !agentArgs.trim().isEmpty()) {
            for (String pair : agentArgs.split(",")) {
                if (pair.trim().isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String rawKey = (eq < 0 ? pair : pair.substring(0, eq)).trim();
                String key = canonicalKey(rawKey);
                if (eq < 0) {
                    errors.add("agent argument '" + rawKey + "' has no value (expected key=value)");
                } else if (key == null) {
                    errors.add("unknown agent argument key '" + rawKey + "' (known keys: " + knownKeys() + ")");
                } else {
                    values.put(key, pair.substring(eq + 1).trim());
                    origin.put(key, "agent argument " + key);
                }
            }
        }

        Mode mode = Mode.AUDIT;
        boolean enforceAsked = false;
        if (values.containsKey("mode")) {
            Mode m = Mode.parse(values.get("mode"));
            if (m == null) {
                errors.add(origin.get("mode") + ": mode '" + values.get("mode") + "' is not off, audit or enforce");
            } else {
                mode = m;
                enforceAsked = m == Mode.ENFORCE;
            }
        }
        String log = Settings.DEFAULT_LOG;
        if (values.containsKey("log")) {
            String v = values.get("log");
            if (v.isEmpty()) {
                errors.add(origin.get("log") + ": log is empty (stderr, stdout or a file path)");
            } else {
                log = v;
            }
        }
        LegacyPostRedirect legacy = LegacyPostRedirect.GET;
        if (values.containsKey("legacyPostRedirect")) {
            String v = values.get("legacyPostRedirect");
            if ("get".equalsIgnoreCase(v)) {
                legacy = LegacyPostRedirect.GET;
            } else if ("preserve".equalsIgnoreCase(v)) {
                legacy = LegacyPostRedirect.PRESERVE;
            } else {
                errors.add(origin.get("legacyPostRedirect") + ": legacyPostRedirect '" + v + "' is not get or preserve");
            }
        }
        String strip = Settings.DEFAULT_STRIP;
        if (values.containsKey("stripOnCrossOrigin")) {
            String v = values.get("stripOnCrossOrigin");
            String bad = firstBadHeaderName(v);
            if (bad != null) {
                errors.add(origin.get("stripOnCrossOrigin") + ": '" + bad + "' is not a header name (names separated by ;)");
            } else {
                strip = v;
            }
        }
        int jmx = Settings.DEFAULT_JMX_DELAY;
        if (values.containsKey("jmx")) {
            String v = values.get("jmx");
            if ("off".equalsIgnoreCase(v)) {
                jmx = Settings.JMX_OFF;
            } else {
                int seconds = -1;
                try {
                    seconds = Integer.parseInt(v);
                } catch (NumberFormatException e) {
                    // reported below
                }
                if (seconds < 0 || seconds > 3600) {
                    errors.add(origin.get("jmx") + ": jmx '" + v + "' is not off or a delay of 0 to 3600 seconds");
                } else {
                    jmx = seconds;
                }
            }
        }
        if (!errors.isEmpty() && enforceAsked) {
            mode = Mode.AUDIT;
        }
        return new Settings(mode, log, legacy, strip, jmx);
    }

    /** Keys are matched without regard to case, so REDIRECTGUARD_LEGACYPOSTREDIRECT works. */
    static String canonicalKey(String key) {
        for (String k : KEYS) {
            if (k.equalsIgnoreCase(key.trim())) {
                return k;
            }
        }
        return null;
    }

    private static String knownKeys() {
        StringBuilder b = new StringBuilder();
        for (String k : KEYS) {
            b.append(b.length() == 0 ? "" : ", ").append(k);
        }
        return b.toString();
    }

    /** RFC 9110 token characters only. */
    private static String firstBadHeaderName(String list) {
        for (String name : Settings.splitNames(list)) {
            if (name.isEmpty()) {
                return name;
            }
            for (int i = 0; i < name.length(); i++) {
                char c = name.charAt(i);
                boolean token = c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
                if (!token) {
                    return name;
                }
            }
        }
        return null;
    }
}
