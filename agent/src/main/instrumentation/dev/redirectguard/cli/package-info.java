/**
 * The command line ({@code java -jar redirect-guard-agent.jar <command>}): list, attach, status,
 * mode, set, check, doctor, report, version. Loaded by the agent's class loader over the
 * application class loader (so it sees the attach API; JDK 8's tools.jar is added by the
 * bootstrap), in the command's own JVM, never in an application's. May reference every package of
 * the agent; the doctor's child programs ({@code dev.redirectguard.doctor.child}) only by name.
 */
package dev.redirectguard.cli;
