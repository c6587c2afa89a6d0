package dev.redirectguard.config;

import dev.redirectguard.rules.RedirectPolicy.LegacyPostRedirect;

import java.util.ArrayList;
import java.util.Arrays;
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
 * <p>
 * The enforce scope keys (enforceRules, enforceTargets, enforceCallers) are the exception to "its
 * default is used": their default is everything, so a bad value would widen enforcement past
 * what was asked. A bad scope value puts nothing in scope for that key instead (the JVM is in
 * audit then anyway, when it asked for enforce); if the mode is switched to enforce later without
 * fixing it, enforce corrects no hop, but never one that was meant to be left alone. A live change
 * ({@link #apply}, the config file) is all or nothing: with one bad value the running settings
 * stay as they are, mode included, so that a typo neither widens enforcement nor turns it off.
 */
public final class SettingsParser {
    public static final String PROPERTY_PREFIX = "redirectguard.";
    public static final String ENV_PREFIX = "REDIRECTGUARD_";
    static final String[] KEYS = {"mode", "log", "legacyPostRedirect", "stripOnCrossOrigin", "jmx", "logMaxBytes",
        "logFiles", "logInterval", "logRate", "enforceRules", "enforceTargets", "enforceCallers", "config"};
    /** Keys a running JVM cannot take from {@link #apply}: they act once, at start or attach. */
    private static final String[] START_ONLY = {"jmx", "config"};

    /** The error lines of one parse, each with the key it is about (null: none, e.g. an unknown key). */
    private static final class Problems {
        final List<String> lines;
        final List<String> keys = new ArrayList<String>();

        Problems(List<String> lines) {
            this.lines = lines;
        }

        void add(String key, String line) {
            lines.add(line);
            keys.add(key);
        }

        boolean isEmpty() {
            return lines.isEmpty();
        }

        void clear() {
            lines.clear();
            keys.clear();
        }
    }

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
        return load(agentArgs, systemProperties, env, new Problems(errors));
    }

    /**
     * Start-up: as {@link #load(String, Properties, Map, List)}, each error line completed with what
     * is used instead and the mode that results, ready for stderr after "redirect-guard: ", e.g.
     * {@code agent argument logRate: logRate 'lots' is not ...; using the default, mode audit} or
     * {@code agent argument enforceTargets: enforceTargets 'a b' has an invalid pattern 'a b' (a
     * space inside); enforcing no target (enforceTargets=), mode audit}.
     */
    public static Settings loadAtStart(String agentArgs, Properties systemProperties, Map<String, String> env,
                                       List<String> lines) {
        Problems problems = new Problems(new ArrayList<String>());
        Settings settings = load(agentArgs, systemProperties, env, problems);
        for (int i = 0; i < problems.lines.size(); i++) {
            lines.add(problems.lines.get(i) + "; " + keptAtStart(problems.keys.get(i)) + ", mode "
                    + settings.mode().id());
        }
        return settings;
    }

    private static String keptAtStart(String key) {
        if ("enforceRules".equals(key)) {
            return "enforcing no rule (enforceRules=)";
        } else if ("enforceTargets".equals(key)) {
            return "enforcing no target (enforceTargets=)";
        } else if ("enforceCallers".equals(key)) {
            return "enforcing no caller (enforceCallers=)";
        }
        return "using the default";
    }

    private static Settings load(String agentArgs, Properties systemProperties, Map<String, String> env,
                                 Problems problems) {
        Settings first = parse(agentArgs, null, null, systemProperties, env, problems);
        if (first.config() == null) {
            return first;
        }
        Properties file;
        try {
            file = ConfigFile.read(first.config());
        } catch (Exception e) {
            // IOException, or a SecurityException under a policy that denies the file: either way the
            // file is not read. (Not a handler for IOException alone: the verifier would load that
            // class, which is not in the JDK's class data archive, for every start with agent arguments.)
            problems.add("config", "config file " + first.config() + " cannot be read (" + e.getMessage() + ")");
            return first;
        }
        problems.clear();
        return parse(agentArgs, file, first.config(), systemProperties, env, problems);
    }

    /**
     * A live change (the MBean, a {@code set} command): {@code changes} in the agent-argument
     * syntax ({@code enforceTargets=api.example.com,mode=enforce}) over {@code current}. All or
     * nothing: when any key or value is bad, {@code current} is returned and {@code errors} gets
     * one line per problem, naming the key and value and what stays, e.g.
     * {@code set enforceTargets: enforceTargets 'a b' has an invalid pattern 'a b' (a space
     * inside); nothing changed, enforceTargets stays *}. {@code jmx} and {@code config} act at
     * start or attach only and are refused here. No file, property or variable is read.
     *
     * @return the new settings, or {@code current} itself when nothing changed or anything was bad
     */
    public static Settings apply(Settings current, String changes, List<String> errors) {
        Map<String, String> values = current.arguments();
        Map<String, String> origin = new LinkedHashMap<String, String>();
        for (String key : values.keySet()) {
            origin.put(key, "live setting " + key);
        }
        Problems problems = new Problems(new ArrayList<String>());
        boolean any = false;
        if (changes != null) {
            for (String pair : changes.split(",")) {
                if (pair.trim().isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String rawKey = (eq < 0 ? pair : pair.substring(0, eq)).trim();
                String key = canonicalKey(rawKey);
                if (eq < 0) {
                    problems.add(null, "set '" + rawKey + "' has no value (expected key=value)");
                } else if (key == null) {
                    problems.add(null, "set: unknown key '" + rawKey + "' (known keys: " + knownKeys() + ")");
                } else if (Arrays.asList(START_ONLY).contains(key)) {
                    problems.add(key, "set " + key + ": " + key + " acts only at start-up or attach (attach again"
                            + " with " + key + "=...)");
                } else {
                    values.put(key, pair.substring(eq + 1).trim());
                    origin.put(key, "set " + key);
                    any = true;
                }
            }
        }
        if (!any && problems.isEmpty()) {
            return current;
        }
        Settings next = build(values, origin, problems);
        if (problems.isEmpty()) {
            return next.equals(current) ? current : next;
        }
        Map<String, String> now = current.arguments();
        for (int i = 0; i < problems.lines.size(); i++) {
            String key = problems.keys.get(i);
            String value = now.get(key);
            String stays = key == null ? "" : ", " + key + " stays "
                    + (value == null ? "unset" : value.isEmpty() ? "empty" : value);
            errors.add(problems.lines.get(i) + "; nothing changed" + stays);
        }
        return current;
    }

    /**
     * @param file the {@code config} file's keys (the agent-argument names), or null; they rank
     *             below agent arguments and above system properties and the environment
     * @param fileName the file's path, for error lines
     */
    public static Settings parse(String agentArgs, Properties file, String fileName, Properties systemProperties,
                                 Map<String, String> env, List<String> errors) {
        return parse(agentArgs, file, fileName, systemProperties, env, new Problems(errors));
    }

    private static Settings parse(String agentArgs, Properties file, String fileName, Properties systemProperties,
                                  Map<String, String> env, Problems problems) {
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
        // The keys themselves, not stringPropertyNames(), which copies every property first.
        for (java.util.Enumeration<Object> names = systemProperties.keys(); names.hasMoreElements(); ) {
            Object next = names.nextElement();
            if (!Settings.namesSetting(next)) {
                continue;
            }
            String name = (String) next;
            String key = canonicalKey(name.substring(PROPERTY_PREFIX.length()));
            if (key == null) {
                problems.add(null, "unknown system property " + name + " (known keys: " + knownKeys() + ")");
                continue;
            }
            values.put(key, systemProperties.getProperty(name));
            origin.put(key, "system property " + name);
        }
        if (file != null) {
            for (String name : file.stringPropertyNames()) {
                String key = canonicalKey(name);
                if (key == null) {
                    problems.add(null, "config file " + fileName + ": unknown key '" + name + "' (known keys: "
                            + knownKeys() + ")");
                } else if (key.equals("config")) {
                    problems.add("config", "config file " + fileName + ": key config cannot be set in the file itself");
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
                    problems.add(null, "agent argument '" + rawKey + "' has no value (expected key=value)");
                } else if (key == null) {
                    problems.add(null, "unknown agent argument key '" + rawKey + "' (known keys: " + knownKeys() + ")");
                } else {
                    values.put(key, pair.substring(eq + 1).trim());
                    origin.put(key, "agent argument " + key);
                }
            }
        }
        return build(values, origin, problems);
    }

    /** The settings from each key's winning value; {@code origin} names where each came from. */
    private static Settings build(Map<String, String> values, Map<String, String> origin, Problems problems) {
        Mode mode = Mode.AUDIT;
        boolean enforceAsked = false;
        if (values.containsKey("mode")) {
            Mode m = Mode.parse(values.get("mode"));
            if (m == null) {
                problems.add("mode", origin.get("mode") + ": mode '" + values.get("mode") + "' is not off, audit or enforce");
            } else {
                mode = m;
                enforceAsked = m == Mode.ENFORCE;
            }
        }
        String log = Settings.DEFAULT_LOG;
        if (values.containsKey("log")) {
            String v = values.get("log");
            if (v.isEmpty()) {
                problems.add("log", origin.get("log") + ": log is empty (stderr, stdout or a file path)");
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
                problems.add("legacyPostRedirect", origin.get("legacyPostRedirect") + ": legacyPostRedirect '" + v + "' is not get or preserve");
            }
        }
        String strip = Settings.DEFAULT_STRIP;
        if (values.containsKey("stripOnCrossOrigin")) {
            String v = values.get("stripOnCrossOrigin");
            String bad = firstBadHeaderName(v);
            if (bad != null) {
                problems.add("stripOnCrossOrigin", origin.get("stripOnCrossOrigin") + ": '" + bad + "' is not a header name (names separated by ;)");
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
                } catch (IllegalArgumentException e) { // NumberFormatException; see load
                    // reported below
                }
                if (seconds < 0 || seconds > 3600) {
                    problems.add("jmx", origin.get("jmx") + ": jmx '" + v + "' is not off or a delay of 0 to 3600 seconds");
                } else {
                    jmx = seconds;
                }
            }
        }
        long logMaxBytes = number(values, origin, problems, "logMaxBytes", Settings.DEFAULT_LOG_MAX_BYTES, 1024,
                1L << 40, "0 (never rotate) or a size of 1024 to 1099511627776 bytes");
        int logFiles = (int) number(values, origin, problems, "logFiles", Settings.DEFAULT_LOG_FILES, 1, 100,
                "a count of 1 to 100 rotated files");
        int logInterval = (int) number(values, origin, problems, "logInterval", Settings.DEFAULT_LOG_INTERVAL, 1, 86400,
                "0 (never collapse) or 1 to 86400 seconds");
        int logRate = (int) number(values, origin, problems, "logRate", Settings.DEFAULT_LOG_RATE, 1, 1000000,
                "0 (no limit) or 1 to 1000000 lines per second");
        String config = null;
        if (values.containsKey("config")) {
            String v = values.get("config");
            if (v.isEmpty()) {
                problems.add("config", origin.get("config") + ": config is empty (a properties file path)");
            } else {
                config = v;
            }
        }
        // Never wider than asked: a bad scope value puts nothing in scope for its key, not the default.
        // None of the three given: the default scope (null), whose classes load when a hop first asks.
        EnforceScope scope = values.containsKey("enforceRules") || values.containsKey("enforceTargets")
                || values.containsKey("enforceCallers") ? scope(values, origin, problems) : null;
        if (!problems.isEmpty() && enforceAsked) {
            mode = Mode.AUDIT;
        }
        return new Settings(mode, log, legacy, strip, jmx, logMaxBytes, logFiles, logInterval, logRate, config,
                scope);
    }

    private static EnforceScope scope(Map<String, String> values, Map<String, String> origin, Problems problems) {
        EnforceRules rules = EnforceRules.ALL;
        if (values.containsKey("enforceRules")) {
            String v = values.get("enforceRules");
            try {
                rules = EnforceRules.parse(v);
            } catch (IllegalArgumentException e) {
                problems.add("enforceRules", origin.get("enforceRules") + ": enforceRules '" + v + "' " + e.getMessage());
                rules = EnforceRules.NONE;
            }
        }
        EnforceTargets targets = EnforceTargets.ALL;
        if (values.containsKey("enforceTargets")) {
            String v = values.get("enforceTargets");
            try {
                targets = EnforceTargets.parse(v);
            } catch (IllegalArgumentException e) {
                problems.add("enforceTargets", origin.get("enforceTargets") + ": enforceTargets '" + v + "' "
                        + e.getMessage());
                targets = EnforceTargets.NONE;
            }
        }
        EnforceCallers callers = EnforceCallers.ALL;
        if (values.containsKey("enforceCallers")) {
            String v = values.get("enforceCallers");
            try {
                callers = EnforceCallers.parse(v);
            } catch (IllegalArgumentException e) {
                problems.add("enforceCallers", origin.get("enforceCallers") + ": enforceCallers '" + v + "' "
                        + e.getMessage());
                callers = EnforceCallers.NONE;
            }
        }
        return new EnforceScope(rules, targets, callers);
    }

    /**
     * A whole number: 0, or {@code min} to {@code max}; seconds may end in "s" and sizes in "k" or "m"
     * (KiB, MiB), as operators write them.
     */
    private static long number(Map<String, String> values, Map<String, String> origin, Problems problems, String key,
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
        } catch (IllegalArgumentException e) { // NumberFormatException; see load
            // reported below
        }
        boolean zeroAllowed = !key.equals("logFiles");
        if ((n == 0 && zeroAllowed) || (n >= min && n <= max)) {
            return n;
        }
        problems.add(key, origin.get(key) + ": " + key + " '" + v + "' is not " + expected);
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
