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
    static final String[] KEYS = {"mode", "log", "legacyPostRedirect", "stripOnCrossOrigin", "jmx", "logMaxBytes",
        "logFiles", "logInterval", "logRate", "config"};

    private SettingsParser() {
    }

    /**
     * @param errors receives one line per problem found (nothing when all was well)
     */
    public static Settings parse(String agentArgs, Properties systemProperties, Map<String, String> env,
                                 List<String> errors) {
        return parse(agentArgs, null, null, systemProperties, env, errors);
    }

    /**
     * As {@link #parse(String, Properties, Map, List)}, and when the settings name a {@code config}
     * file, reads it and parses again with it (see {@link #parse(String, Properties, String, Properties, Map, List)}).
     * An unreadable file is one error line; its keys then keep their other sources.
     */
    public static Settings load(String agentArgs, Properties systemProperties, Map<String, String> env,
                                List<String> errors) {
        Settings first = parse(agentArgs, null, null, systemProperties, env, errors);
        if (first.config() == null) {
            return first;
        }
        Properties file;
        try {
            file = ConfigFile.read(first.config());
        } catch (java.io.IOException e) {
            errors.add("config file " + first.config() + " cannot be read (" + e.getMessage() + ")");
            return first;
        }
        errors.clear();
        return parse(agentArgs, file, first.config(), systemProperties, env, errors);
    }

    /**
     * @param file the {@code config} file's keys (the agent-argument names), or null; they rank
     *             below agent arguments and above system properties and the environment
     * @param fileName the file's path, for error lines
     */
    public static Settings parse(String agentArgs, Properties file, String fileName, Properties systemProperties,
                                 Map<String, String> env, List<String> errors) {
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
        if (file != null) {
            for (String name : file.stringPropertyNames()) {
                String key = canonicalKey(name);
                if (key == null) {
                    errors.add("config file " + fileName + ": unknown key '" + name + "' (known keys: " + knownKeys() + ")");
                } else if (key.equals("config")) {
                    errors.add("config file " + fileName + ": key config cannot be set in the file itself");
                } else {
                    values.put(key, file.getProperty(name).trim());
                    origin.put(key, "config file " + fileName + " key " + key);
                }
            }
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
        long logMaxBytes = number(values, origin, errors, "logMaxBytes", Settings.DEFAULT_LOG_MAX_BYTES, 1024,
                1L << 40, "0 (never rotate) or a size of 1024 to 1099511627776 bytes");
        int logFiles = (int) number(values, origin, errors, "logFiles", Settings.DEFAULT_LOG_FILES, 1, 100,
                "a count of 1 to 100 rotated files");
        int logInterval = (int) number(values, origin, errors, "logInterval", Settings.DEFAULT_LOG_INTERVAL, 1, 86400,
                "0 (never collapse) or 1 to 86400 seconds");
        int logRate = (int) number(values, origin, errors, "logRate", Settings.DEFAULT_LOG_RATE, 1, 1000000,
                "0 (no limit) or 1 to 1000000 lines per second");
        String config = null;
        if (values.containsKey("config")) {
            String v = values.get("config");
            if (v.isEmpty()) {
                errors.add(origin.get("config") + ": config is empty (a properties file path)");
            } else {
                config = v;
            }
        }
        if (!errors.isEmpty() && enforceAsked) {
            mode = Mode.AUDIT;
        }
        return new Settings(mode, log, legacy, strip, jmx, logMaxBytes, logFiles, logInterval, logRate, config);
    }

    /**
     * A whole number: 0, or {@code min} to {@code max}; seconds may end in "s" and sizes in "k" or "m"
     * (KiB, MiB), as operators write them.
     */
    private static long number(Map<String, String> values, Map<String, String> origin, List<String> errors, String key,
                               long fallback, long min, long max, String expected) {
        if (!values.containsKey(key)) {
            return fallback;
        }
        String v = values.get(key).trim();
        String digits = v.toLowerCase(Locale.ROOT);
        long unit = 1;
        if (key.equals("logInterval") && digits.endsWith("s")) {
            digits = digits.substring(0, digits.length() - 1);
        } else if (key.equals("logMaxBytes") && digits.endsWith("k")) {
            digits = digits.substring(0, digits.length() - 1);
            unit = 1024;
        } else if (key.equals("logMaxBytes") && digits.endsWith("m")) {
            digits = digits.substring(0, digits.length() - 1);
            unit = 1024 * 1024;
        }
        long n = -1;
        try {
            n = Long.parseLong(digits.trim()) * unit;
        } catch (NumberFormatException e) {
            // reported below
        }
        boolean zeroAllowed = !key.equals("logFiles");
        if ((n == 0 && zeroAllowed) || (n >= min && n <= max)) {
            return n;
        }
        errors.add(origin.get(key) + ": " + key + " '" + v + "' is not " + expected);
        return fallback;
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
