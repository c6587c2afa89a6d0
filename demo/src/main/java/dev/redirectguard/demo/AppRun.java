package dev.redirectguard.demo;

import java.nio.file.Path;
import java.util.Map;

/**
 * What one run of the legacy application printed.
 *
 * @param javaVersion the version the application reported, or null if it did not start
 * @param outcomes    per call, what the application got: "HTTP 200", "failed: ...", "skipped: ..."
 * @param stdout      the application's output, kept in the work directory
 * @param stderr      its error output (the JVM's and the agent's messages)
 */
record AppRun(int exitCode, String javaVersion, Map<String, String> outcomes, Path stdout, Path stderr) {
}
