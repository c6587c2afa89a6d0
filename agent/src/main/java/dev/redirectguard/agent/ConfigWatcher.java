package dev.redirectguard.agent;

import dev.redirectguard.config.ConfigFile;
import dev.redirectguard.config.Settings;
import dev.redirectguard.config.SettingsParser;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;

/**
 * Watches the {@code config=<path>} file, on the agent's thread, once a second, only when the
 * setting is there. When its content changes (and
 * stays the same for 100 ms, so a half-written file is never applied), the settings are
 * computed again from every source as at start-up (agent arguments, the file, system
 * properties, environment) and applied at once; the next hop follows them. A file that is
 * invalid or unreadable keeps the last good settings and says so in one stderr line, once per
 * change.
 */
final class ConfigWatcher {
    static final long SETTLE_MILLIS = 100;

    private final GuardState state;
    private volatile String agentArgs;
    private byte[] applied;
    private String unreadable;

    private ConfigWatcher(GuardState state, String agentArgs, byte[] applied) {
        this.state = state;
        this.agentArgs = agentArgs;
        this.applied = applied;
    }

    /**
     * Watches from now on (the agent's thread calls {@link #check()}).
     *
     * @param agentArgs every agent argument given so far (later keys win), for recomputing
     */
    static ConfigWatcher watch(GuardState state, String agentArgs) {
        byte[] now = null;
        try {
            now = ConfigFile.bytes(state.settings().config());
        } catch (IOException e) {
            // reported at start by the parser; the watcher applies the file once it is readable
        }
        ConfigWatcher w = new ConfigWatcher(state, agentArgs, now);
        state.configWatcher(w);
        return w;
    }

    /** Attached again: the agent arguments grew (a new config path among them, perhaps). */
    void agentArgs(String args) {
        agentArgs = args;
    }

    /** The agent's thread, once a second. Never throws. */
    void check() {
        try {
            checkFile();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Throwable t) {
            System.err.println("redirect-guard: config file watch: " + t + "; keeping the last good settings");
        }
    }

    private void checkFile() throws InterruptedException {
        String path = state.settings().config();
        if (path == null) {
            return;
        }
        byte[] content;
        try {
            content = ConfigFile.bytes(path);
            if (!Arrays.equals(content, applied)) {
                Thread.sleep(SETTLE_MILLIS);
                byte[] again = ConfigFile.bytes(path);
                if (!Arrays.equals(content, again)) {
                    return; // still being written: next round
                }
            }
        } catch (IOException e) {
            String why = path + " cannot be read (" + e.getMessage() + ")";
            if (!why.equals(unreadable)) {
                unreadable = why;
                System.err.println("redirect-guard: config file " + why + "; keeping the last good settings");
            }
            return;
        }
        unreadable = null;
        if (Arrays.equals(content, applied)) {
            return;
        }
        applied = content;
        String problem;
        Settings next = null;
        try {
            Properties file = ConfigFile.parse(content);
            List<String> errors = new ArrayList<String>();
            next = SettingsParser.parse(agentArgs, file, path, System.getProperties(), System.getenv(), errors);
            problem = firstFileError(errors, path);
        } catch (IOException | IllegalArgumentException e) {
            problem = "config file " + path + ": not a properties file (" + e.getMessage() + ")";
        }
        if (problem != null) {
            System.err.println("redirect-guard: " + problem + "; keeping the last good settings ("
                    + state.settings() + ")");
            return;
        }
        state.apply(next);
    }

    /**
     * Only the file's own errors make it invalid: those of the other sources were reported at
     * start-up and fell back to defaults, as they do now.
     */
    private static String firstFileError(List<String> errors, String path) {
        String prefix = "config file " + path;
        for (String e : errors) {
            if (e.startsWith(prefix)) {
                return e;
            }
        }
        return null;
    }
}
