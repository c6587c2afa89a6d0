package dev.redirectguard.config;

import dev.redirectguard.rules.RedirectPolicy;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SettingsParserTest {
    /** The parse result with its error lines, as the agent sees them. */
    record Result(Settings settings, List<String> errors) {
    }

    private static Result parse(String args, Properties sys, Map<String, String> env) {
        List<String> errors = new ArrayList<>();
        Settings s = SettingsParser.parse(args, sys, env, errors);
        return new Result(s, errors);
    }

    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void defaults() {
        Result r = parse(null, props(), Map.of());
        assertTrue(r.errors().isEmpty());
        assertEquals(Mode.AUDIT, r.settings().mode());
        assertEquals("stderr", r.settings().log());
        assertEquals(RedirectPolicy.LegacyPostRedirect.GET, r.settings().policy().legacyPostRedirect());
        assertEquals(Set.of("authorization", "cookie"), r.settings().policy().stripOnCrossOrigin());
    }

    @Test
    void agentArgsBeatSystemPropertiesBeatEnvironment() {
        Map<String, String> env = Map.of("REDIRECTGUARD_MODE", "off", "REDIRECTGUARD_LOG", "stdout",
                "REDIRECTGUARD_LEGACYPOSTREDIRECT", "preserve");
        Properties sys = props("redirectguard.mode", "audit", "redirectguard.log", "/tmp/x.jsonl");
        Result r = parse("mode=enforce", sys, env);
        assertTrue(r.errors().isEmpty(), r.errors().toString());
        assertEquals(Mode.ENFORCE, r.settings().mode());
        assertEquals("/tmp/x.jsonl", r.settings().log());
        assertEquals(RedirectPolicy.LegacyPostRedirect.PRESERVE, r.settings().policy().legacyPostRedirect());
    }

    @Test
    void stripListUsesSemicolons() {
        Result r = parse("stripOnCrossOrigin=Authorization; Cookie ;X-Api-Key",
                props(), Map.of());
        assertTrue(r.errors().isEmpty());
        assertEquals(Set.of("authorization", "cookie", "x-api-key"), r.settings().policy().stripOnCrossOrigin());
        assertEquals(Set.of(), parse("stripOnCrossOrigin=", props(), Map.of()).settings().policy()
                .stripOnCrossOrigin());
    }

    @Test
    void badValueFallsBackToAuditAndNamesTheSetting() {
        Result r = parse("mode=enforce,legacyPostRedirect=sometimes", props(), Map.of());
        assertEquals(Mode.AUDIT, r.settings().mode());
        assertEquals(1, r.errors().size());
        assertEquals("agent argument legacyPostRedirect: legacyPostRedirect 'sometimes' is not get or preserve",
                r.errors().get(0));
    }

    @Test
    void unknownKeysAndBadModesAreReportedEach() {
        Result r = parse("mdoe=enforce,mode=strict,verbose", props("redirectguard.x", "1"),
                Map.of());
        assertEquals(Mode.AUDIT, r.settings().mode());
        assertEquals(4, r.errors().size(), r.errors().toString());
        assertTrue(r.errors().get(0).startsWith("unknown system property redirectguard.x"));
        assertTrue(r.errors().get(1).startsWith("unknown agent argument key 'mdoe'"));
        assertEquals("agent argument 'verbose' has no value (expected key=value)", r.errors().get(2));
        assertEquals("agent argument mode: mode 'strict' is not off, audit or enforce", r.errors().get(3));
    }

    @Test
    void offStaysOffDespiteOtherErrors() {
        assertEquals(Mode.OFF, parse("mode=off,log=", props(), Map.of()).settings().mode());
    }

    @Test
    void badHeaderNameIsRefused() {
        Result r = parse("stripOnCrossOrigin=Authorization;X Bad", props(), Map.of());
        assertEquals(1, r.errors().size());
        assertEquals(Set.of("authorization", "cookie"), r.settings().policy().stripOnCrossOrigin());
    }

    @Test
    void settingsPrintInAgentArgumentSyntax() {
        assertEquals("mode=audit,log=stderr,legacyPostRedirect=get,stripOnCrossOrigin=Authorization;Cookie,jmx=5"
                + ",logMaxBytes=10485760,logFiles=5,logInterval=60,logRate=100", Settings.defaults().toString());
        assertEquals(Settings.defaults().toString(), parse(null, props(), Map.of()).settings().toString());
    }

    @Test
    void jmxIsOffOrADelayInSeconds() {
        assertEquals(Settings.JMX_OFF, parse("jmx=off", props(), Map.of()).settings().jmxDelaySeconds());
        assertEquals(0, parse("jmx=0", props(), Map.of()).settings().jmxDelaySeconds());
        assertEquals(30, parse(null, props("redirectguard.jmx", "30"), Map.of()).settings().jmxDelaySeconds());
        for (String bad : new String[] {"-1", "soon", "3601", ""}) {
            Result r = parse("mode=enforce,jmx=" + bad, props(), Map.of());
            assertEquals(List.of("agent argument jmx: jmx '" + bad + "' is not off or a delay of 0 to 3600 seconds"),
                    r.errors());
            assertEquals(Settings.DEFAULT_JMX_DELAY, r.settings().jmxDelaySeconds());
            assertEquals(Mode.AUDIT, r.settings().mode());
        }
    }

    @Test
    void logVolumeKeys() {
        Result r = parse("logMaxBytes=2m,logFiles=3,logInterval=10s,logRate=0", props(), Map.of());
        assertTrue(r.errors().isEmpty(), r.errors().toString());
        assertEquals(2L * 1024 * 1024, r.settings().logMaxBytes());
        assertEquals(3, r.settings().logFiles());
        assertEquals(10, r.settings().logIntervalSeconds());
        assertEquals(0, r.settings().logRate());
        Result d = parse(null, props(), Map.of());
        assertEquals(Settings.DEFAULT_LOG_MAX_BYTES, d.settings().logMaxBytes());
        assertEquals(5, d.settings().logFiles());
        assertEquals(60, d.settings().logIntervalSeconds());
        assertEquals(100, d.settings().logRate());
        assertEquals(null, d.settings().config());
    }

    @Test
    void logVolumeKeysAreValidatedByName() {
        Result r = parse("mode=enforce,logMaxBytes=10,logFiles=0,logInterval=-1,logRate=lots", props(), Map.of());
        assertEquals(List.of(
                "agent argument logMaxBytes: logMaxBytes '10' is not 0 (never rotate) or a size of 1024 to 1099511627776 bytes",
                "agent argument logFiles: logFiles '0' is not a count of 1 to 100 rotated files",
                "agent argument logInterval: logInterval '-1' is not 0 (never collapse) or 1 to 86400 seconds",
                "agent argument logRate: logRate 'lots' is not 0 (no limit) or 1 to 1000000 lines per second"),
                r.errors());
        assertEquals(Mode.AUDIT, r.settings().mode(), "enforce falls back to audit on a bad setting");
        assertEquals(Settings.DEFAULT_LOG_RATE, r.settings().logRate());
    }

    @Test
    void toStringRoundTripsWithTheNewKeys() {
        Result r = parse("mode=enforce,logMaxBytes=4096,logFiles=2,logInterval=0,logRate=7,config=/etc/rg.properties",
                props(), Map.of());
        assertTrue(r.errors().isEmpty(), r.errors().toString());
        String text = r.settings().toString();
        assertTrue(text.endsWith(",logMaxBytes=4096,logFiles=2,logInterval=0,logRate=7,config=/etc/rg.properties"), text);
        assertEquals(text, parse(text, props(), Map.of()).settings().toString());
    }

    @Test
    void configFileRanksBetweenAgentArgumentsAndSystemProperties() {
        Properties file = props("mode", "enforce", "logRate", "5", "log", "/from/file.jsonl");
        Properties sys = props("redirectguard.mode", "off", "redirectguard.logRate", "9", "redirectguard.logFiles", "4");
        List<String> errors = new ArrayList<>();
        Settings s = SettingsParser.parse("log=/from/args.jsonl,config=/x.properties", file, "/x.properties", sys,
                Map.of(), errors);
        assertTrue(errors.isEmpty(), errors.toString());
        assertEquals(Mode.ENFORCE, s.mode(), "file beats system property");
        assertEquals(5, s.logRate());
        assertEquals(4, s.logFiles(), "system property where the file is silent");
        assertEquals("/from/args.jsonl", s.log(), "agent argument beats file");
    }

    @Test
    void badConfigFileKeysNameTheFile() {
        List<String> errors = new ArrayList<>();
        SettingsParser.parse(null, props("mood", "enforce", "config", "/y", "mode", "strict"), "/x.properties",
                props(), Map.of(), errors);
        assertEquals(3, errors.size(), errors.toString());
        assertTrue(errors.stream().allMatch(e -> e.startsWith("config file /x.properties")), errors.toString());
        assertTrue(errors.contains("config file /x.properties key mode: mode 'strict' is not off, audit or enforce"),
                errors.toString());
    }

    @Test
    void loadReadsTheNamedFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path file = dir.resolve("rg.properties");
        java.nio.file.Files.writeString(file, "# operators edit this\nmode = enforce\nlogInterval = 5s\n");
        List<String> errors = new ArrayList<>();
        Settings s = SettingsParser.load("config=" + file, props(), Map.of(), errors);
        assertTrue(errors.isEmpty(), errors.toString());
        assertEquals(Mode.ENFORCE, s.mode());
        assertEquals(5, s.logIntervalSeconds());
        assertEquals(file.toString(), s.config());
        errors.clear();
        Settings missing = SettingsParser.load("config=" + dir.resolve("nope"), props(), Map.of(), errors);
        assertEquals(Mode.AUDIT, missing.mode());
        assertEquals(List.of("config file " + dir.resolve("nope") + " cannot be read (no such file)"), errors);
    }
}
