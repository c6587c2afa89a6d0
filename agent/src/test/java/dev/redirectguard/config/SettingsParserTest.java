package dev.redirectguard.config;

import dev.redirectguard.rules.RedirectPolicy;
import dev.redirectguard.rules.Rule;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
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

    /** Start-up skips the parser when nothing is given: what the parser would give then is the defaults. */
    @Test
    void nothingGivenMeansTheDefaults() {
        Properties other = props("java.home", "/jdk", "redirectguardx", "1");
        Map<String, String> env = Map.of("PATH", "/bin", "REDIRECT_GUARD_MODE", "enforce");
        assertTrue(Settings.nothingGiven(null, other, env));
        assertTrue(Settings.nothingGiven("  ", other, env));
        List<String> lines = new ArrayList<>();
        Settings parsed = SettingsParser.loadAtStart(null, other, env, lines);
        assertEquals(List.of(), lines);
        assertEquals(parsed, Settings.defaults());
        assertEquals(parsed.toString(), Settings.defaults().toString());
        assertFalse(Settings.nothingGiven("mode=enforce", other, env));
        assertFalse(Settings.nothingGiven(null, props("redirectguard.mode", "enforce"), env));
        assertFalse(Settings.nothingGiven(null, props("redirectguard.nosuchkey", "1"), env));
        assertFalse(Settings.nothingGiven(null, other, Map.of("REDIRECTGUARD_MODE", "enforce")));
        assertFalse(Settings.nothingGiven(null, other, Map.of("REDIRECTGUARD_NOSUCHKEY", "1")));
    }

    /** Start-up reads the environment as Linux shows it, and asks the JDK only where a setting may be named. */
    @Test
    void anEnvironmentBlockNamesSettingsOnlyByAVariableOfTheAgent() {
        assertTrue(namesSettings("REDIRECTGUARD_MODE=enforce\0"));
        assertTrue(namesSettings("PATH=/bin\0REDIRECTGUARD_MODE=enforce\0HOME=/root\0"));
        assertTrue(namesSettings("PATH=/bin\0REDIRECTGUARD_NOSUCHKEY=1")); // no final NUL
        assertTrue(namesSettings("REDIRECTGUARD_")); // a name alone, cut off
        assertFalse(namesSettings(""));
        assertFalse(namesSettings("PATH=/bin\0HOME=/root\0"));
        assertFalse(namesSettings("REDIRECT_GUARD_MODE=enforce\0redirectguard_mode=enforce\0"));
        assertFalse(namesSettings("X=REDIRECTGUARD_MODE=enforce\0")); // in a value, not a name
        assertFalse(namesSettings("XREDIRECTGUARD_MODE=enforce\0"));
        assertFalse(namesSettings("PATH=/bin\0REDIRECTGUARD")); // cut off before the prefix ends
        // Only the first length bytes count.
        byte[] block = "PATH=/bin\0REDIRECTGUARD_MODE=enforce\0".getBytes(StandardCharsets.US_ASCII);
        assertFalse(Settings.environmentBlockNamesSettings(block, "PATH=/bin\0REDIRECTGUARD".length()));
    }

    private static boolean namesSettings(String block) {
        byte[] bytes = block.getBytes(StandardCharsets.US_ASCII);
        return Settings.environmentBlockNamesSettings(bytes, bytes.length);
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
                + ",logMaxBytes=10485760,logFiles=5,logInterval=60,logRate=100"
                + ",enforceRules=*,enforceTargets=*,enforceCallers=*", Settings.defaults().toString());
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
        assertTrue(text.endsWith(",logMaxBytes=4096,logFiles=2,logInterval=0,logRate=7"
                + ",enforceRules=*,enforceTargets=*,enforceCallers=*,config=/etc/rg.properties"), text);
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

    // The enforce scope: enforceRules, enforceTargets, enforceCallers.

    private static final String TARGETS = "api.example.com:443;*.internal;10.0.0.7;[::1]:8443";
    private static final String CALLERS = "com.acme.billing.;com.acme.legacy.OrderClient";

    private static Settings parseWithFile(String args, Properties file, Properties sys, Map<String, String> env,
                                          List<String> errors) {
        return SettingsParser.parse(args, file, "/x.properties", sys, env, errors);
    }

    @Test
    void scopeDefaultsToEverything() {
        Settings s = parse(null, props(), Map.of()).settings();
        assertTrue(s.scope().isEverything());
        assertEquals(EnforceScope.everything(), s.scope());
    }

    @Test
    void eachScopeKeyFromEachSource() {
        String[][] keys = {{"enforceRules", "get-after-303;same-method-307-308"}, {"enforceTargets", TARGETS},
            {"enforceCallers", CALLERS}};
        for (String[] kv : keys) {
            String key = kv[0];
            String value = kv[1];
            List<Settings> fromEach = new ArrayList<>();
            List<String> errors = new ArrayList<>();
            fromEach.add(parseWithFile(key + "=" + value, null, props(), Map.of(), errors));
            fromEach.add(parseWithFile(null, props(key, value), props(), Map.of(), errors));
            fromEach.add(parseWithFile(null, null, props("redirectguard." + key, value), Map.of(), errors));
            fromEach.add(parseWithFile(null, null, props(), Map.of("REDIRECTGUARD_" + key.toUpperCase(), value), errors));
            // Keys are case-insensitive in every source.
            fromEach.add(parseWithFile(key.toUpperCase() + "=" + value, null, props(), Map.of(), errors));
            fromEach.add(parseWithFile(null, props(key.toLowerCase(), value), props(), Map.of(), errors));
            fromEach.add(parseWithFile(null, null, props("redirectguard." + key.toLowerCase(), value), Map.of(), errors));
            assertTrue(errors.isEmpty(), errors.toString());
            for (Settings s : fromEach) {
                assertTrue((s + ",").contains("," + key + "=" + value + ","), key + ": " + s);
                assertFalse(s.scope().isEverything());
            }
        }
    }

    /** The HttpClient hooks take a blocking send's caller at the hop only when the decision needs it. */
    @Test
    void onlyAnEnforceScopeThatNamesCallersDecidesByCaller() {
        String[][] cases = {{"mode=audit", "false"}, {"mode=audit,enforceCallers=" + CALLERS, "false"},
            {"mode=enforce", "false"}, {"mode=enforce,enforceCallers=*", "false"},
            {"mode=enforce,enforceRules=get-after-303,enforceTargets=" + TARGETS, "false"},
            {"mode=enforce,enforceCallers=" + CALLERS, "true"}, {"mode=enforce,enforceCallers=", "true"},
            {"mode=off,enforceCallers=" + CALLERS, "false"}};
        for (String[] c : cases) {
            List<String> errors = new ArrayList<>();
            Settings s = parseWithFile(c[0], null, props(), Map.of(), errors);
            assertTrue(errors.isEmpty(), errors.toString());
            assertEquals(Boolean.parseBoolean(c[1]), s.decidesByCaller(), c[0]);
        }
    }

    @Test
    void scopeKeysFollowTheSourcePrecedence() {
        Map<String, String> env = Map.of("REDIRECTGUARD_ENFORCERULES", "streamed-body",
                "REDIRECTGUARD_ENFORCETARGETS", "env.example", "REDIRECTGUARD_ENFORCECALLERS", "env.");
        Properties sys = props("redirectguard.enforceRules", "get-after-303", "redirectguard.enforceTargets", "sys.example",
                "redirectguard.enforceCallers", "sys.");
        Properties file = props("enforceRules", "cross-origin-strip", "enforceTargets", "file.example");
        List<String> errors = new ArrayList<>();
        Settings s = parseWithFile("enforceRules=no-https-downgrade", file, sys, env, errors);
        assertTrue(errors.isEmpty(), errors.toString());
        assertEquals("no-https-downgrade", s.scope().rules(), "agent argument beats file");
        assertEquals("file.example", s.scope().targets(), "file beats system property");
        assertEquals("sys.", s.scope().callers(), "system property beats environment");
        assertEquals("env.", parseWithFile(null, null, props(), env, errors).scope().callers());
    }

    @Test
    void scopeKeysReachTheMatcher() {
        Result r = parse("mode=enforce,enforceRules=same-method-307-308,enforceTargets=" + TARGETS
                + ",enforceCallers=" + CALLERS, props(), Map.of());
        assertTrue(r.errors().isEmpty(), r.errors().toString());
        EnforceScope scope = r.settings().scope();
        String frame = "com.acme.legacy.OrderClient.submit(OrderClient.java:42)";
        assertNull(scope.outOfScope(Rule.SAME_METHOD_307_308, "api.example.com", 443, frame));
        assertNull(scope.outOfScope(Rule.SAME_METHOD_307_308, "[::1]", 8443, "com.acme.billing.X.y(X.java:1)"));
        assertEquals(EnforceScope.RULE, scope.outOfScope(Rule.GET_AFTER_303, "api.example.com", 443, frame));
        assertEquals(EnforceScope.TARGET, scope.outOfScope(Rule.SAME_METHOD_307_308, "api.example.com", 80, frame));
        assertEquals(EnforceScope.CALLER, scope.outOfScope(Rule.SAME_METHOD_307_308, "x.internal", 80, null));
    }

    @Test
    void badScopeValuesAreOneLineEachAndNeverWidenEnforcement() {
        Result r = parse("mode=enforce,enforceRules=get-after-330,enforceTargets=api.*.com,enforceCallers=com.acme.*",
                props(), Map.of());
        assertEquals(List.of(
                "agent argument enforceRules: enforceRules 'get-after-330' names no rule 'get-after-330' (rule ids:"
                        + " same-method-307-308, get-after-303, post-after-301-302, same-origin-headers,"
                        + " cross-origin-strip, no-https-downgrade, streamed-body; or * for every rule)",
                "agent argument enforceTargets: enforceTargets 'api.*.com' has an invalid pattern 'api.*.com'"
                        + " (a '*' only as the whole value or as a leading '*.')",
                "agent argument enforceCallers: enforceCallers 'com.acme.*' has an invalid entry 'com.acme.*'"
                        + " (for a package and its subpackages write 'com.acme.')"), r.errors());
        Settings s = r.settings();
        assertEquals(Mode.AUDIT, s.mode(), "enforce falls back to audit, as for every bad value");
        assertEquals("", s.scope().rules(), "a bad value puts nothing in scope, never the default everything");
        assertEquals("", s.scope().targets());
        assertEquals("", s.scope().callers());
        // Switched to enforce later without a fix: no hop is corrected, rather than every hop.
        Settings enforce = s.withMode(Mode.ENFORCE);
        for (Rule rule : Rule.values()) {
            assertEquals(EnforceScope.RULE, enforce.scope().outOfScope(rule, "api.example.com", 443, "a.B.c(B.java:1)"));
        }
    }

    @Test
    void oneBadScopeKeyLeavesTheOthersAsAsked() {
        Result r = parse("enforceRules=get-after-303,enforceTargets=api.example.com:99999,enforceCallers=com.acme.",
                props(), Map.of());
        assertEquals(List.of("agent argument enforceTargets: enforceTargets 'api.example.com:99999' has an invalid"
                + " pattern 'api.example.com:99999' (port '99999' is not 1 to 65535)"), r.errors());
        assertEquals(Mode.AUDIT, r.settings().mode());
        assertEquals("get-after-303", r.settings().scope().rules());
        assertEquals("", r.settings().scope().targets());
        assertEquals("com.acme.", r.settings().scope().callers());
    }

    @Test
    void badScopeValueFromEachSourceNamesIt() {
        List<String> errors = new ArrayList<>();
        parseWithFile(null, props("enforceTargets", "a b"), props("redirectguard.enforceRules", "x"),
                Map.of("REDIRECTGUARD_ENFORCECALLERS", "1x."), errors);
        // In the order of the keys, each naming its source.
        assertEquals(List.of(
                "system property redirectguard.enforceRules: enforceRules 'x' names no rule 'x' (rule ids:"
                        + " same-method-307-308, get-after-303, post-after-301-302, same-origin-headers,"
                        + " cross-origin-strip, no-https-downgrade, streamed-body; or * for every rule)",
                "config file /x.properties key enforceTargets: enforceTargets 'a b' has an invalid pattern 'a b'"
                        + " (a space inside)",
                "environment variable REDIRECTGUARD_ENFORCECALLERS: enforceCallers '1x.' has an invalid entry '1x.'"
                        + " (a package ending in '.' like com.acme.billing., or a class like com.acme.legacy.OrderClient)"),
                errors);
    }

    @Test
    void offStaysOffAndAuditStaysAuditWithABadScope() {
        Result off = parse("mode=off,enforceTargets=a b", props(), Map.of());
        assertEquals(Mode.OFF, off.settings().mode());
        assertEquals(1, off.errors().size());
        Result audit = parse("enforceTargets=a b", props(), Map.of());
        assertEquals(Mode.AUDIT, audit.settings().mode());
        assertEquals("", audit.settings().scope().targets());
    }

    @Test
    void emptyScopeValuesAreValidAndMeanNothingInScope() {
        Result r = parse("mode=enforce,enforceRules=,enforceTargets= ,enforceCallers=", props(), Map.of());
        assertTrue(r.errors().isEmpty(), r.errors().toString());
        assertEquals(Mode.ENFORCE, r.settings().mode());
        assertTrue(r.settings().toString().contains(",enforceRules=,enforceTargets=,enforceCallers=,")
                || r.settings().toString().endsWith(",enforceRules=,enforceTargets=,enforceCallers="), r.settings().toString());
        assertEquals(EnforceScope.RULE, r.settings().scope().outOfScope(Rule.GET_AFTER_303, "h", 80, null));
    }

    @Test
    void startUpLinesSayWhatIsUsedInsteadAndTheMode() {
        List<String> lines = new ArrayList<>();
        Settings s = SettingsParser.loadAtStart("mode=enforce,logRate=lots,enforceTargets=a b,enforceRules=get-after-303;,"
                + "enforceCallers=com..x", props(), Map.of(), lines);
        assertEquals(Mode.AUDIT, s.mode());
        assertEquals(List.of(
                "agent argument logRate: logRate 'lots' is not 0 (no limit) or 1 to 1000000 lines per second;"
                        + " using the default, mode audit",
                "agent argument enforceRules: enforceRules 'get-after-303;' has an empty entry (rule ids are separated by one ';');"
                        + " enforcing no rule (enforceRules=), mode audit",
                "agent argument enforceTargets: enforceTargets 'a b' has an invalid pattern 'a b' (a space inside);"
                        + " enforcing no target (enforceTargets=), mode audit",
                "agent argument enforceCallers: enforceCallers 'com..x' has an invalid entry 'com..x' (a package"
                        + " ending in '.' like com.acme.billing., or a class like com.acme.legacy.OrderClient);"
                        + " enforcing no caller (enforceCallers=), mode audit"), lines);
        lines.clear();
        assertEquals(Mode.OFF, SettingsParser.loadAtStart("mode=off,enforceTargets=a b", props(), Map.of(), lines).mode());
        assertEquals(List.of("agent argument enforceTargets: enforceTargets 'a b' has an invalid pattern 'a b'"
                + " (a space inside); enforcing no target (enforceTargets=), mode off"), lines);
        lines.clear();
        SettingsParser.loadAtStart("mode=strict", props(), Map.of(), lines);
        assertEquals(List.of("agent argument mode: mode 'strict' is not off, audit or enforce; using the default,"
                + " mode audit"), lines, "the lines of the other keys are what the agent printed before");
    }

    @Test
    void configFileScopeErrorsNameTheFile(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        // The config watcher keeps the last good settings on any line of the file's own.
        java.nio.file.Path file = dir.resolve("rg.properties");
        java.nio.file.Files.writeString(file, "mode = enforce\nenforceTargets = api.example.com;[::1\n");
        List<String> errors = new ArrayList<>();
        SettingsParser.parse(null, ConfigFile.read(file.toString()), file.toString(), props(), Map.of(), errors);
        assertEquals(List.of("config file " + file + " key enforceTargets: enforceTargets 'api.example.com;[::1'"
                + " has an invalid pattern '[::1' (no closing ']')"), errors);
        java.nio.file.Files.writeString(file, "mode = enforce\nenforceTargets = api.example.com;[::1]\n"
                + "ENFORCERULES = same-method-307-308\n");
        errors.clear();
        Settings s = SettingsParser.load("config=" + file, props(), Map.of(), errors);
        assertTrue(errors.isEmpty(), errors.toString());
        assertEquals(Mode.ENFORCE, s.mode());
        assertEquals("api.example.com;[::1]", s.scope().targets());
        assertEquals("same-method-307-308", s.scope().rules());
    }

    @Test
    void toStringRoundTripsWithTheScope() {
        String args = "mode=enforce,log=/var/log/rg.jsonl,legacyPostRedirect=preserve,stripOnCrossOrigin=Authorization;X-Api-Key"
                + ",jmx=off,logMaxBytes=2m,logFiles=3,logInterval=10s,logRate=0"
                + ",enforceRules=GET-AFTER-303;same-method-307-308,enforceTargets=API.example.com:443;*.internal;10.0.0.7;"
                + "[2001:DB8::7]:8443;::1,enforceCallers=" + CALLERS + ";Main,config=/etc/rg.properties";
        Result r = parse(args, props(), Map.of());
        assertTrue(r.errors().isEmpty(), r.errors().toString());
        String text = r.settings().toString();
        assertEquals("mode=enforce,log=/var/log/rg.jsonl,legacyPostRedirect=preserve,stripOnCrossOrigin=Authorization;X-Api-Key"
                + ",jmx=off,logMaxBytes=2097152,logFiles=3,logInterval=10,logRate=0"
                + ",enforceRules=get-after-303;same-method-307-308,enforceTargets=api.example.com:443;*.internal;10.0.0.7;"
                + "[2001:db8::7]:8443;::1,enforceCallers=com.acme.billing.;com.acme.legacy.OrderClient;Main"
                + ",config=/etc/rg.properties", text);
        Result again = parse(text, props(), Map.of());
        assertTrue(again.errors().isEmpty(), again.errors().toString());
        assertEquals(r.settings(), again.settings());
        assertEquals(r.settings().hashCode(), again.settings().hashCode());
        assertEquals(text, again.settings().toString());
        for (String scope : new String[] {"enforceRules=,enforceTargets=,enforceCallers=",
            "enforceRules=all,enforceTargets=*,enforceCallers=*", "enforceTargets=[::1]"}) {
            Settings s = parse(scope, props(), Map.of()).settings();
            assertEquals(s, parse(s.toString(), props(), Map.of()).settings(), scope);
        }
        assertEquals(Settings.defaults(), parse(Settings.defaults().toString(), props(), Map.of()).settings());
        assertFalse(Settings.defaults().equals(Settings.defaults().withMode(Mode.ENFORCE)));
    }

    @Test
    void attachingAgainAddsScopeKeysToTheLiveOnes() {
        // What the agent does on a second attach: the live settings, then the new keys.
        Settings live = parse("mode=enforce,enforceTargets=api.example.com", props(), Map.of()).settings();
        Result r = parse(live + ",enforceRules=same-method-307-308", props(), Map.of());
        assertTrue(r.errors().isEmpty(), r.errors().toString());
        assertEquals(Mode.ENFORCE, r.settings().mode());
        assertEquals("same-method-307-308", r.settings().scope().rules());
        assertEquals("api.example.com", r.settings().scope().targets());
    }

    // Live changes: SettingsParser.apply

    @Test
    void applyChangesTheGivenKeysOnly() {
        Settings live = parse("mode=audit,logRate=7,enforceTargets=api.example.com", props(), Map.of()).settings();
        List<String> errors = new ArrayList<>();
        Settings next = SettingsParser.apply(live, "mode=enforce, enforceRules=same-method-307-308 ,"
                + "ENFORCECALLERS=com.acme.legacy.OrderClient", errors);
        assertTrue(errors.isEmpty(), errors.toString());
        assertEquals(Mode.ENFORCE, next.mode());
        assertEquals("same-method-307-308", next.scope().rules());
        assertEquals("api.example.com", next.scope().targets(), "unchanged key kept");
        assertEquals("com.acme.legacy.OrderClient", next.scope().callers());
        assertEquals(7, next.logRate());
        Settings wider = SettingsParser.apply(next, "enforceTargets=api.example.com;*.example.com,enforceRules=*", errors);
        assertTrue(errors.isEmpty(), errors.toString());
        assertEquals("api.example.com;*.example.com", wider.scope().targets());
        assertEquals("*", wider.scope().rules());
        Settings back = SettingsParser.apply(wider, "enforceTargets=*,enforceCallers=*", errors);
        assertTrue(back.scope().isEverything());
        assertTrue(errors.isEmpty(), errors.toString());
    }

    @Test
    void applyWithNothingNewReturnsTheSameInstance() {
        Settings live = parse("mode=enforce", props(), Map.of()).settings();
        List<String> errors = new ArrayList<>();
        assertSame(live, SettingsParser.apply(live, "", errors));
        assertSame(live, SettingsParser.apply(live, null, errors));
        assertSame(live, SettingsParser.apply(live, " , ", errors));
        assertSame(live, SettingsParser.apply(live, "mode=enforce,enforceRules=all", errors));
        assertTrue(errors.isEmpty(), errors.toString());
    }

    @Test
    void applyIsAllOrNothing() {
        Settings live = parse("mode=enforce,enforceTargets=api.example.com", props(), Map.of()).settings();
        List<String> errors = new ArrayList<>();
        Settings result = SettingsParser.apply(live,
                "enforceRules=same-method-307-308,enforceTargets=api.example.com;bad host,logRate=-5", errors);
        assertSame(live, result, "a bad value changes nothing: neither wider nor back to audit");
        assertEquals(List.of(
                "set logRate: logRate '-5' is not 0 (no limit) or 1 to 1000000 lines per second; nothing changed,"
                        + " logRate stays 100",
                "set enforceTargets: enforceTargets 'api.example.com;bad host' has an invalid pattern 'bad host'"
                        + " (a space inside); nothing changed, enforceTargets stays api.example.com"), errors);
        errors.clear();
        assertSame(live, SettingsParser.apply(live, "mode=strict", errors));
        assertEquals(List.of("set mode: mode 'strict' is not off, audit or enforce; nothing changed, mode stays enforce"),
                errors);
    }

    @Test
    void applyRefusesUnknownKeysMissingValuesAndStartOnlyKeys() {
        Settings live = parse("config=/etc/rg.properties", props(), Map.of()).settings();
        List<String> errors = new ArrayList<>();
        assertSame(live, SettingsParser.apply(live, "enforceTarget=a.example,enforceRules,jmx=0,config=/tmp/x,"
                + "enforceCallers=com.acme.", errors));
        assertEquals(4, errors.size(), errors.toString());
        assertTrue(errors.get(0).startsWith("set: unknown key 'enforceTarget' (known keys: mode, log, "), errors.get(0));
        assertTrue(errors.get(0).endsWith(", enforceRules, enforceTargets, enforceCallers, config); nothing changed"),
                errors.get(0));
        assertEquals("set 'enforceRules' has no value (expected key=value); nothing changed", errors.get(1));
        assertEquals("set jmx: jmx acts only at start-up or attach (attach again with jmx=...); nothing changed,"
                + " jmx stays 5", errors.get(2));
        assertEquals("set config: config acts only at start-up or attach (attach again with config=...); nothing"
                + " changed, config stays /etc/rg.properties", errors.get(3));
        errors.clear();
        Settings none = parse("enforceCallers=", props(), Map.of()).settings();
        assertSame(none, SettingsParser.apply(none, "enforceCallers=com.acme.*", errors));
        assertEquals(List.of("set enforceCallers: enforceCallers 'com.acme.*' has an invalid entry 'com.acme.*' (for a"
                + " package and its subpackages write 'com.acme.'); nothing changed, enforceCallers stays empty"), errors);
        errors.clear();
        SettingsParser.apply(Settings.defaults(), "config=/tmp/x", errors);
        assertEquals(List.of("set config: config acts only at start-up or attach (attach again with config=...);"
                + " nothing changed, config stays unset"), errors);
    }
}
