package dev.redirectguard.config;

import dev.redirectguard.rules.RedirectPolicy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;

/** The agent's effective settings. Immutable; a mode switch makes a new instance. */
public final class Settings {
    public static final String DEFAULT_LOG = "stderr";
    public static final String DEFAULT_STRIP = "Authorization;Cookie";
    /** Seconds after start-up before the MBean is registered; see {@link #jmxDelaySeconds()}. */
    public static final int DEFAULT_JMX_DELAY = 5;
    public static final int JMX_OFF = -1;
    /** Size at which a log file is rotated; 0: never rotated. */
    public static final long DEFAULT_LOG_MAX_BYTES = 10L * 1024 * 1024;
    /** Rotated log files kept beside the live one (FILE.1 .. FILE.n). */
    public static final int DEFAULT_LOG_FILES = 5;
    /** Seconds between two lines for one key of identical violations; 0: nothing is collapsed. */
    public static final int DEFAULT_LOG_INTERVAL = 60;
    /** Lines written per second at most; 0: no limit. */
    public static final int DEFAULT_LOG_RATE = 100;

    private final Mode mode;
    private final String log;
    private final RedirectPolicy.LegacyPostRedirect legacy;
    private final String stripText;
    private final int jmxDelaySeconds;
    private final long logMaxBytes;
    private final int logFiles;
    private final int logIntervalSeconds;
    private final int logRate;
    /** The watched properties file, or null. */
    private final String config;
    /** Null for the default, every hop in scope: built on first use, so that start-up loads none of its classes. */
    private final EnforceScope scope;
    /** Derived on first use, so that start-up loads none of the rules. */
    private volatile RedirectPolicy policy;

    public Settings(Mode mode, String log, RedirectPolicy.LegacyPostRedirect legacy, String stripText,
                    int jmxDelaySeconds) {
        this(mode, log, legacy, stripText, jmxDelaySeconds, DEFAULT_LOG_MAX_BYTES, DEFAULT_LOG_FILES,
                DEFAULT_LOG_INTERVAL, DEFAULT_LOG_RATE, null);
    }

    public Settings(Mode mode, String log, RedirectPolicy.LegacyPostRedirect legacy, String stripText,
                    int jmxDelaySeconds, long logMaxBytes, int logFiles, int logIntervalSeconds, int logRate,
                    String config) {
        this(mode, log, legacy, stripText, jmxDelaySeconds, logMaxBytes, logFiles, logIntervalSeconds, logRate,
                config, null);
    }

    public Settings(Mode mode, String log, RedirectPolicy.LegacyPostRedirect legacy, String stripText,
                    int jmxDelaySeconds, long logMaxBytes, int logFiles, int logIntervalSeconds, int logRate,
                    String config, EnforceScope scope) {
        this.mode = mode;
        this.log = log;
        this.legacy = legacy;
        this.stripText = stripText;
        this.jmxDelaySeconds = jmxDelaySeconds;
        this.logMaxBytes = logMaxBytes;
        this.logFiles = logFiles;
        this.logIntervalSeconds = logIntervalSeconds;
        this.logRate = logRate;
        this.config = config;
        this.scope = scope;
    }

    public static Settings defaults() {
        return new Settings(Mode.AUDIT, DEFAULT_LOG, RedirectPolicy.LegacyPostRedirect.GET, DEFAULT_STRIP,
                DEFAULT_JMX_DELAY);
    }

    /**
     * Whether no source names a setting: no agent argument, no system property
     * {@code redirectguard.*}, no environment variable {@code REDIRECTGUARD_*}. The settings are
     * then {@link #defaults()}, and start-up need not load the parser at all.
     */
    public static boolean nothingGiven(String agentArgs, java.util.Properties systemProperties,
                                       Map<String, String> env) {
        if (agentArgs != null && !agentArgs.trim().isEmpty()) {
            return false;
        }
        // The keys themselves, not stringPropertyNames(), which copies every property first.
        for (java.util.Enumeration<Object> names = systemProperties.keys(); names.hasMoreElements(); ) {
            if (namesSetting(names.nextElement())) {
                return false;
            }
        }
        for (String name : env.keySet()) {
            if (name.startsWith(SettingsParser.ENV_PREFIX)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether a system property's key is one of the agent's ({@code redirectguard.*}). Here, not in
     * the parser, which start-up loads only when something names a setting.
     */
    static boolean namesSetting(Object propertyKey) {
        return propertyKey instanceof String && ((String) propertyKey).startsWith(SettingsParser.PROPERTY_PREFIX);
    }

    /**
     * Whether an environment block ({@code NAME=value} entries, each ended by a NUL byte, as Linux
     * shows a process's in /proc/self/environ) has a variable named {@code REDIRECTGUARD_*}. Where it
     * has none, start-up need not ask the JDK for the environment: that loads seven classes from the
     * runtime image, about 0.7 ms of premain on JDK 17.
     */
    public static boolean environmentBlockNamesSettings(byte[] block, int length) {
        String prefix = SettingsParser.ENV_PREFIX;
        boolean entryStart = true;
        for (int i = 0; i < length; i++) {
            if (entryStart && i + prefix.length() <= length) {
                int k = 0;
                while (k < prefix.length() && block[i + k] == prefix.charAt(k)) {
                    k++;
                }
                if (k == prefix.length()) {
                    return true;
                }
            }
            entryStart = block[i] == 0;
        }
        return false;
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

    /**
     * Seconds between start-up and registering the MBean, or {@link #JMX_OFF}. Registering starts
     * the platform MBean server (tens of ms, and it fixes the MBeanServerBuilder for good), which
     * must neither slow nor precede the application's own start; attach registers at once.
     */
    public int jmxDelaySeconds() {
        return jmxDelaySeconds;
    }

    /** Bytes after which the log file is rotated (0: never); stderr and stdout never rotate. */
    public long logMaxBytes() {
        return logMaxBytes;
    }

    /** Rotated files kept: FILE.1 (newest) to FILE.n. */
    public int logFiles() {
        return logFiles;
    }

    /** Identical violations get at most one line per this many seconds (0: every violation its line). */
    public int logIntervalSeconds() {
        return logIntervalSeconds;
    }

    /** Lines per second at most (0: unlimited). */
    public int logRate() {
        return logRate;
    }

    /** The watched properties file, or null. */
    public String config() {
        return config;
    }

    /**
     * Which hops enforce corrects (enforceRules, enforceTargets, enforceCallers); the hooks ask it
     * per hop in enforce only. Audit observes every hop whatever it says.
     */
    public EnforceScope scope() {
        return scope != null ? scope : EnforceScope.everything();
    }

    /**
     * Whether a hop's decision depends on its caller: enforce with an enforceCallers other than
     * {@code *}. Otherwise the caller only names the hop in its log lines.
     */
    public boolean decidesByCaller() {
        return mode == Mode.ENFORCE && scope().namesCallers();
    }

    public RedirectPolicy policy() {
        RedirectPolicy p = policy;
        if (p == null) {
            p = new RedirectPolicy(legacy, new LinkedHashSet<String>(Arrays.asList(splitNames(stripText))));
            policy = p;
        }
        return p;
    }

    /**
     * Whether an enforce JVM enforces {@code rule} for a hop to this target from this caller: null
     * when it does, else why not ("rule", "target" or "caller"). See {@link EnforceScope}.
     *
     * @param host null when the target could not be parsed
     * @param caller the application frame, null when unknown
     */
    public String outOfScope(dev.redirectguard.rules.Rule rule, String host, int port, String caller) {
        return scope().outOfScope(rule, host, port, caller);
    }

    public Settings withMode(Mode newMode) {
        return new Settings(newMode, log, legacy, stripText, jmxDelaySeconds, logMaxBytes, logFiles,
                logIntervalSeconds, logRate, config, scope);
    }

    /**
     * Every key with its value as an agent argument, in the order {@link #toString()} prints them;
     * config only when set.
     */
    Map<String, String> arguments() {
        Map<String, String> a = new LinkedHashMap<String, String>();
        a.put("mode", mode.id());
        a.put("log", log);
        a.put("legacyPostRedirect", legacy.name().toLowerCase(Locale.ROOT));
        a.put("stripOnCrossOrigin", stripText);
        a.put("jmx", jmxDelaySeconds == JMX_OFF ? "off" : String.valueOf(jmxDelaySeconds));
        a.put("logMaxBytes", String.valueOf(logMaxBytes));
        a.put("logFiles", String.valueOf(logFiles));
        a.put("logInterval", String.valueOf(logIntervalSeconds));
        a.put("logRate", String.valueOf(logRate));
        EnforceScope s = scope();
        a.put("enforceRules", s.rules());
        a.put("enforceTargets", s.targets());
        a.put("enforceCallers", s.callers());
        if (config != null) {
            a.put("config", config);
        }
        return a;
    }

    /**
     * key=value list in the agent-argument syntax, every key (config only when set), for status
     * output, the MBean's Settings, and a re-attach that adds keys to the live ones; parsing it
     * gives equal settings.
     */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> e : arguments().entrySet()) {
            b.append(b.length() == 0 ? "" : ",").append(e.getKey()).append('=').append(e.getValue());
        }
        return b.toString();
    }

    /** Equal when every key has the same value as written in {@link #toString()}. */
    @Override
    public boolean equals(Object o) {
        return o instanceof Settings && ((Settings) o).toString().equals(toString());
    }

    @Override
    public int hashCode() {
        return toString().hashCode();
    }
}
